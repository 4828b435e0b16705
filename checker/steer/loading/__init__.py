"""Reading input files into plain data, keeping where each part was written: YAML
documents with positions, and the JSON of ``terraform show -json``."""
