"""What notebooks call to show results: glue, tables, charts."""
