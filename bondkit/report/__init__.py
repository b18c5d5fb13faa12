"""The report layer: the workbook, charts, tables and the summary JSON of a Result,
and the one all-or-nothing writer of output files.
"""
