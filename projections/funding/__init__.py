"""The funding projection: per contract what the OPCO pays the CFA, dated, with its history."""
