"""What people read, from the built warehouse: auditor report, KPI page, published marts, PG copy."""
