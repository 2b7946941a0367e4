"""One module per chapter of the book, named by its slug."""
