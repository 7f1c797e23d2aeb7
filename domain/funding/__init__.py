"""What the OPCO pays the CFA for a contract (funding-rules.md): reference data, engine, hiring aid."""
