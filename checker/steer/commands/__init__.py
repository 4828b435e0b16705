"""The commands of the command line, each as a function of plain inputs."""
