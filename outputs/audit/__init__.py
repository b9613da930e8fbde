"""The auditor's report: the audit tables read (data.py), rendered (html.py), written (report.py)."""
