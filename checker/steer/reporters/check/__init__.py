"""reporters/check"""
