"""Reading input files into plain data, keeping where each part was written."""
