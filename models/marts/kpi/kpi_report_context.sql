-- One row per current, not held-out report: the unit, its level and province, and the period
-- with the windows the KPI marts compare on (the period itself and its year-to-date window).
with

reports as (
    select * from {{ ref('dim_report') }}
),

reporting_units as (
    select * from {{ ref('dim_reporting_unit') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

current_reports as (
    select *
    from reports
    where is_current_version
        and not is_held_out
),

final as (
    select
        current_reports.report_id,
        current_reports.unit_code,
        coalesce(reporting_units.unit_full_name_vi, current_reports.unit_name) as unit_name,
        coalesce(reporting_units.unit_level, current_reports.unit_level) as unit_level,
        reporting_units.district_code,
        reporting_units.province_code_at_report,
        reporting_units.province_name_at_report,
        reporting_units.province_code_today,
        reporting_units.province_name_today,
        current_reports.period_key,
        periods.period_year,
        periods.period_type,
        periods.period_number,
        periods.months_covered as period_months,
        cast(extract(month from periods.calendar_end_date) as integer) as year_to_date_months,
        periods.calendar_start_date as period_start_date,
        periods.calendar_end_date as period_end_date,
        cast({{ dbt.date_trunc('year', 'periods.calendar_end_date') }} as date) as year_start_date,
        periods.data_window_start_date,
        periods.data_window_end_date,
        current_reports.template_family,
        current_reports.source_file
    from current_reports
    inner join periods
        on current_reports.period_key = periods.period_key
    left join reporting_units
        on current_reports.unit_code = reporting_units.unit_code
)

select * from final
