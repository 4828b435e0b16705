"""reporters/whatif"""
