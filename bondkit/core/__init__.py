"""The money core: day-count conventions, terms, schedules, rates and metrics.

Plain functions on dates, Decimals and numpy arrays; money in integer cents. Nothing here
knows of scenario files, simulations, workbooks or faces.
"""
