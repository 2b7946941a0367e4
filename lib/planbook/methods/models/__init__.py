"""Chapter models that are more than a table: driver trees, simulations, finance."""
