"""planbook: reproduce and check an e-commerce industry implementation plan, chapter by chapter."""

from planbook.reads import install_from_environment

__version__ = "0.1.0"

# A chapter's kernel logs the data files it reads when the build asks it to (cheap when
# it does not: two environment look-ups); see planbook.reads.
install_from_environment()
