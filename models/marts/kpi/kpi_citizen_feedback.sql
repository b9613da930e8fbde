-- One row per report of citizen satisfaction and feedback: the satisfaction survey (conducted,
-- forms, method, satisfaction rate) and feedback on procedures (PAKN) received and resolved.
{%- set measures = [
    ('survey_conducted', 'direction.satisfaction_survey.conducted'),
    ('survey_forms_collected', 'direction.satisfaction_survey.forms_collected'),
    ('survey_method_code', 'direction.satisfaction_survey.method'),
    ('satisfaction_rate', 'direction.satisfaction_survey.satisfaction_rate'),
    ('feedback_address_posted', 'procedures.feedback.address_posted'),
    ('feedback_received', 'procedures.feedback.received'),
    ('feedback_resolved', 'procedures.feedback.resolved'),
    ('feedback_resolution_rate', 'procedures.feedback.resolution_rate'),
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
        max(case when indicator_code = 'direction.satisfaction_survey.satisfaction_rate' then qualifier end)
            as satisfaction_rate_qualifier,
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
        pivoted.survey_conducted = 1 as survey_conducted,
        pivoted.survey_forms_collected,
        cast(pivoted.survey_method_code as integer) as survey_method_code,
        case cast(pivoted.survey_method_code as integer)
            when 0 then 'online'
            when 1 then 'paper forms'
            when 2 then 'combined'
        end as survey_method,
        pivoted.satisfaction_rate as satisfaction_rate_reported,
        pivoted.satisfaction_rate_qualifier as satisfaction_rate_reported_qualifier,
        pivoted.feedback_address_posted = 1 as feedback_address_posted,
        pivoted.feedback_received,
        pivoted.feedback_resolved,
        100.0 * pivoted.feedback_resolved / nullif(pivoted.feedback_received, 0) as feedback_resolution_rate_computed,
        pivoted.feedback_resolution_rate as feedback_resolution_rate_reported,
        100.0 * pivoted.feedback_resolved / nullif(pivoted.feedback_received, 0) - pivoted.feedback_resolution_rate
            as feedback_resolution_rate_difference,
        case
            when pivoted.feedback_received is null then 'feedback received not reported'
            when pivoted.feedback_received = 0 then 'no feedback received'
            when pivoted.feedback_resolved is null then 'feedback resolved not reported'
        end as feedback_resolution_rate_null_reason,
        report_context.template_family,
        report_context.source_file,
        pivoted.survey_forms_collected_source_line,
        pivoted.satisfaction_rate_source_line,
        pivoted.feedback_received_source_line,
        pivoted.feedback_resolved_source_line,
        pivoted.feedback_resolution_rate_source_line
    from pivoted
    inner join report_context
        on pivoted.report_id = report_context.report_id
    where pivoted.reported_value_count > 0
)

select * from final
