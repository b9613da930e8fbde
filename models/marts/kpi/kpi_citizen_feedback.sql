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
        {{ kpi_rate_vs_reported(
            'feedback_resolution_rate',
            numerator='pivoted.feedback_resolved',
            denominator='pivoted.feedback_received',
            reported='pivoted.feedback_resolution_rate',
            denominator_missing='feedback received not reported',
            denominator_zero='no feedback received',
            numerator_missing='feedback resolved not reported',
        ) }},
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
