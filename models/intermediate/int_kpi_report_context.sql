-- One row per current, not held-out report (one per unit and period: see context_reports): the
-- unit, its level and province, and the period with the windows the KPI marts compare on (the
-- period itself and its year-to-date window).
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
    where
        is_current_version
        and not is_held_out
),

-- The KPI marts are one row per unit and period. A hand-entered report (template_family
-- 'hand_entered') is the context only of a unit and period that no current document covers; of
-- several hand-entered files, the latest loaded. Its values then feed the KPIs; hand-entered
-- values beside a document stay facts of fct_indicator_values but do not enter the KPIs.
ranked_reports as (
    select
        current_reports.*,
        row_number() over (
            partition by current_reports.unit_code, current_reports.period_key
            order by
                case when current_reports.template_family = 'hand_entered' then 1 else 0 end asc,
                current_reports.loaded_at desc,
                current_reports.report_id asc
        ) as context_rank
    from current_reports
),

context_reports as (
    select *
    from ranked_reports
    where context_rank = 1
),

final as (
    select
        context_reports.report_id,
        context_reports.unit_code,
        coalesce(reporting_units.unit_full_name_vi, context_reports.unit_name) as unit_name,
        coalesce(reporting_units.unit_full_name_vi, context_reports.unit_name) as unit_name_vi,
        coalesce(reporting_units.unit_full_name_en, {{ ascii_fold('context_reports.unit_name') }}) as unit_name_en,
        coalesce(reporting_units.unit_level, context_reports.unit_level) as unit_level,
        {{ admin_level_name('coalesce(reporting_units.unit_level, context_reports.unit_level)', 'vi') }}
            as unit_level_name_vi,
        {{ admin_level_name('coalesce(reporting_units.unit_level, context_reports.unit_level)', 'en') }}
            as unit_level_name_en,
        reporting_units.district_code,
        reporting_units.province_code_at_report,
        reporting_units.province_name_at_report,
        reporting_units.province_name_at_report as province_name_vi,
        reporting_units.province_name_at_report_en as province_name_en,
        reporting_units.province_code_today,
        reporting_units.province_name_today,
        reporting_units.province_name_today_en,
        context_reports.period_key,
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
        context_reports.template_family,
        context_reports.source_file
    from context_reports
    inner join periods
        on context_reports.period_key = periods.period_key
    left join reporting_units
        on context_reports.unit_code = reporting_units.unit_code
)

select * from final
