"""The commands of the command line, one module per subcommand, each as a function of
plain inputs."""
