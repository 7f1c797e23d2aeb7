"""The official apprenticeship contract form (CERFA FA13 n° 10103*12): its fields read into terms, the terms
and the ledger's schedule written back into its fields, and its pay table checked against the legal minimum.

Pure: values in, values out. The PDF itself is read and filled by `ledger/cerfa/pdf.py`.
"""
