-- One row per report of the annual reform plan (tasks planned / completed, completion rate
-- computed vs reported) and of the tasks assigned by the superior People's Committee.
-- Tasks completed are cumulative (year to date): window_months says how many months they cover.
{%- set measures = [
    ('tasks_planned', 'direction.plan.tasks_planned'),
    ('tasks_completed', 'direction.plan.tasks_completed'),
    ('completion_rate', 'direction.plan.completion_rate'),
    ('assigned_tasks', 'direction.assigned_tasks.assigned'),
    ('assigned_tasks_completed_on_time', 'direction.assigned_tasks.completed_on_time'),
    ('assigned_tasks_completed_late', 'direction.assigned_tasks.completed_late'),
    ('assigned_tasks_overdue_not_completed', 'direction.assigned_tasks.overdue_not_completed'),
] %}
{%- set cumulative_codes = "('direction.plan.tasks_completed', 'direction.plan.completion_rate')" %}

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
        {{ kpi_pivot_measures(measures) }},
        {{ dbt.bool_or("indicator_code in " ~ cumulative_codes ~ " and is_cumulative") }} as is_cumulative,
        max(case when indicator_code in {{ cumulative_codes }} then window_months end) as window_months
    from measure_inputs
    where {{ kpi_measure_filter(measures) }}
    group by report_id
),

final as (
    select
        pivoted.report_id,
        {{ kpi_report_context_columns() }},
        pivoted.tasks_planned,
        pivoted.tasks_completed,
        {{ kpi_rate_vs_reported(
            'completion_rate',
            numerator='pivoted.tasks_completed',
            denominator='pivoted.tasks_planned',
            reported='pivoted.completion_rate',
            reported_qualifier='pivoted.completion_rate_qualifier',
            denominator_missing='tasks planned not reported',
            denominator_zero='no task planned',
            numerator_missing='tasks completed not reported',
        ) }},
        coalesce(pivoted.is_cumulative, false) as is_cumulative,
        pivoted.window_months,
        pivoted.assigned_tasks,
        pivoted.assigned_tasks_completed_on_time,
        pivoted.assigned_tasks_completed_late,
        pivoted.assigned_tasks_overdue_not_completed,
        {{ kpi_percent('pivoted.assigned_tasks_completed_on_time', 'pivoted.assigned_tasks') }}
            as assigned_tasks_on_time_rate_computed,
        report_context.template_family,
        report_context.source_file,
        pivoted.tasks_planned_source_line,
        pivoted.tasks_completed_source_line,
        pivoted.completion_rate_source_line,
        pivoted.assigned_tasks_source_line
    from pivoted
    inner join report_context
        on pivoted.report_id = report_context.report_id
    where pivoted.reported_value_count > 0
)

select * from final
