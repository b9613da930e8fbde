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
        max(case when indicator_code = '{{ code }}' then source_line_start end) as {{ alias }}_source_line,
        {%- endfor %}
        max(case when indicator_code = 'direction.plan.completion_rate' then qualifier end)
            as completion_rate_qualifier,
        {{ dbt.bool_or(
            "indicator_code in ('direction.plan.tasks_completed', 'direction.plan.completion_rate') and is_cumulative"
        ) }} as is_cumulative,
        max(
            case
                when indicator_code in ('direction.plan.tasks_completed', 'direction.plan.completion_rate')
                    then window_months
            end
        ) as window_months,
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
        pivoted.tasks_planned,
        pivoted.tasks_completed,
        100.0 * pivoted.tasks_completed / nullif(pivoted.tasks_planned, 0) as completion_rate_computed,
        pivoted.completion_rate as completion_rate_reported,
        pivoted.completion_rate_qualifier as completion_rate_reported_qualifier,
        100.0 * pivoted.tasks_completed / nullif(pivoted.tasks_planned, 0) - pivoted.completion_rate
            as completion_rate_difference,
        case
            when pivoted.tasks_planned is null then 'tasks planned not reported'
            when pivoted.tasks_planned = 0 then 'no task planned'
            when pivoted.tasks_completed is null then 'tasks completed not reported'
        end as completion_rate_null_reason,
        coalesce(pivoted.is_cumulative, false) as is_cumulative,
        pivoted.window_months,
        pivoted.assigned_tasks,
        pivoted.assigned_tasks_completed_on_time,
        pivoted.assigned_tasks_completed_late,
        pivoted.assigned_tasks_overdue_not_completed,
        100.0 * pivoted.assigned_tasks_completed_on_time / nullif(pivoted.assigned_tasks, 0)
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
