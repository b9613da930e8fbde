-- One row per report of the staffing of the unit: civil servant positions assigned (biên chế)
-- vs present, labour contracts, streamlining (tinh giản), and the same for public service unit
-- staff. Headcounts are stocks at the reporting date: additive across units, never over time.
{%- set measures = [
    ('headcount_assigned', 'apparatus.headcount.quota_assigned'),
    ('headcount_present', 'apparatus.headcount.present'),
    ('labour_contracts', 'apparatus.headcount.labour_contracts'),
    ('headcount_reduced_in_period', 'apparatus.headcount.reduced_in_period'),
    ('headcount_reduction_rate_vs_plan_reported', 'apparatus.headcount.reduction_rate_vs_plan'),
    ('headcount_reduction_rate_vs_2015_reported', 'apparatus.headcount.reduction_rate_vs_2015'),
    ('psu_staff_assigned', 'apparatus.psu_staff.assigned'),
    ('psu_staff_present', 'apparatus.psu_staff.present'),
    ('psu_staff_reduced_in_period', 'apparatus.psu_staff.reduced_in_period'),
    ('psu_staff_reduction_rate_vs_plan_reported', 'apparatus.psu_staff.reduction_rate_vs_plan'),
    ('psu_staff_reduction_rate_vs_2015_reported', 'apparatus.psu_staff.reduction_rate_vs_2015'),
    ('autonomous_psu_staff_approved', 'apparatus.autonomous_psu_staff.approved'),
    ('autonomous_psu_staff_present', 'apparatus.autonomous_psu_staff.present'),
] %}

with

measure_inputs as (
    select * from {{ ref('kpi_measure_inputs') }}
),

report_context as (
    select * from {{ ref('kpi_report_context') }}
),

pivoted as (
    select
        report_id,
        {%- for alias, code in measures %}
        max(case when indicator_code = '{{ code }}' then measure_value end) as {{ alias }},
        {%- endfor %}
        max(case when indicator_code = 'apparatus.headcount.quota_assigned' then source_line_start end)
            as headcount_assigned_source_line,
        max(case when indicator_code = 'apparatus.headcount.present' then source_line_start end)
            as headcount_present_source_line,
        max(case when indicator_code = 'apparatus.psu_staff.assigned' then source_line_start end)
            as psu_staff_assigned_source_line,
        max(case when indicator_code = 'apparatus.psu_staff.present' then source_line_start end)
            as psu_staff_present_source_line,
        sum(case when measure_value is not null then 1 else 0 end) as reported_value_count
    from measure_inputs
    where indicator_code in (
        {%- for alias, code in measures %}
        '{{ code }}'{{ ',' if not loop.last }}
        {%- endfor %}
    )
    group by report_id
),

final as (
    select
        pivoted.report_id,
        report_context.unit_code,
        report_context.unit_name,
        report_context.unit_level,
        report_context.province_code_at_report,
        report_context.period_key,
        report_context.period_type,
        report_context.period_end_date,
        pivoted.headcount_assigned,
        pivoted.headcount_present,
        pivoted.headcount_assigned - pivoted.headcount_present as headcount_vacant,
        100.0 * pivoted.headcount_present / nullif(pivoted.headcount_assigned, 0) as headcount_fill_rate_computed,
        case
            when pivoted.headcount_assigned is null then 'positions assigned not reported'
            when pivoted.headcount_assigned = 0 then 'no position assigned'
            when pivoted.headcount_present is null then 'civil servants present not reported'
        end as headcount_fill_rate_null_reason,
        pivoted.labour_contracts,
        pivoted.headcount_reduced_in_period,
        pivoted.headcount_reduction_rate_vs_plan_reported,
        pivoted.headcount_reduction_rate_vs_2015_reported,
        pivoted.psu_staff_assigned,
        pivoted.psu_staff_present,
        pivoted.psu_staff_assigned - pivoted.psu_staff_present as psu_staff_vacant,
        100.0 * pivoted.psu_staff_present / nullif(pivoted.psu_staff_assigned, 0) as psu_staff_fill_rate_computed,
        pivoted.psu_staff_reduced_in_period,
        pivoted.psu_staff_reduction_rate_vs_plan_reported,
        pivoted.psu_staff_reduction_rate_vs_2015_reported,
        pivoted.autonomous_psu_staff_approved,
        pivoted.autonomous_psu_staff_present,
        report_context.template_family,
        report_context.source_file,
        pivoted.headcount_assigned_source_line,
        pivoted.headcount_present_source_line,
        pivoted.psu_staff_assigned_source_line,
        pivoted.psu_staff_present_source_line
    from pivoted
    inner join report_context
        on pivoted.report_id = report_context.report_id
    where pivoted.reported_value_count > 0
)

select * from final
