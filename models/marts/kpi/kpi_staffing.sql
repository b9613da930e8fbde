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
    select * from {{ ref('int_kpi_measure_inputs') }}
),

report_context as (
    select * from {{ ref('int_kpi_report_context') }}
),

pivoted as (
    select
        report_id,
        {{ kpi_pivot_measures(measures) }}
    from measure_inputs
    where {{ kpi_measure_filter(measures) }}
    group by report_id
),

final as (
    select
        pivoted.report_id,
        {{ kpi_report_context_columns() }},
        pivoted.headcount_assigned,
        pivoted.headcount_present,
        pivoted.headcount_assigned - pivoted.headcount_present as headcount_vacant,
        {{ kpi_percent('pivoted.headcount_present', 'pivoted.headcount_assigned') }} as headcount_fill_rate_computed,
        {{ kpi_rate_null_reason(
            numerator='pivoted.headcount_present',
            denominator='pivoted.headcount_assigned',
            denominator_missing='positions assigned not reported',
            denominator_zero='no position assigned',
            numerator_missing='civil servants present not reported',
        ) }} as headcount_fill_rate_null_reason,
        pivoted.labour_contracts,
        pivoted.headcount_reduced_in_period,
        pivoted.headcount_reduction_rate_vs_plan_reported,
        pivoted.headcount_reduction_rate_vs_2015_reported,
        pivoted.psu_staff_assigned,
        pivoted.psu_staff_present,
        pivoted.psu_staff_assigned - pivoted.psu_staff_present as psu_staff_vacant,
        {{ kpi_percent('pivoted.psu_staff_present', 'pivoted.psu_staff_assigned') }} as psu_staff_fill_rate_computed,
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
