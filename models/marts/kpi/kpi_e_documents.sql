-- One row per report x level (unit as a whole / district / commune) of the outgoing documents:
-- counts, the share sent fully electronically computed from the counts beside the reported rate.
{%- set measures = [
    'outgoing_documents',
    'fully_electronic_documents',
    'electronic_and_paper_documents',
    'fully_electronic_rate',
    'electronic_and_paper_rate',
] %}

with

measure_inputs as (
    select * from {{ ref('kpi_measure_inputs') }}
),

report_context as (
    select * from {{ ref('kpi_report_context') }}
),

level_values as (
    select
        measure_inputs.*,
        case
            when measure_inputs.indicator_code like 'digital_government.edocs.unit.%' then 'unit'
            else measure_inputs.admin_level
        end as document_level,
        replace(
            replace(
                replace(measure_inputs.indicator_code, 'digital_government.edocs.unit.', ''),
                'digital_government.edocs.district.',
                ''
            ),
            'digital_government.edocs.commune.',
            ''
        ) as measure_name
    from measure_inputs
    where measure_inputs.indicator_code like 'digital_government.edocs.%'
),

pivoted as (
    select
        report_id,
        document_level,
        {%- for measure in measures %}
        max(case when measure_name = '{{ measure }}' then measure_value end) as {{ measure }},
        max(case when measure_name = '{{ measure }}' then source_line_start end) as {{ measure }}_source_line,
        {%- endfor %}
        max(case when measure_name = 'fully_electronic_rate' then qualifier end) as fully_electronic_rate_qualifier,
        max(case when measure_name = 'electronic_and_paper_rate' then qualifier end)
            as electronic_and_paper_rate_qualifier,
        {{ dbt.bool_or("is_cumulative") }} as is_cumulative,
        max(window_months) as window_months,
        sum(case when measure_value is not null then 1 else 0 end) as reported_value_count,
        {{ dbt.listagg("distinct comparability_note", "' | '", "order by comparability_note") }}
            as comparability_note
    from level_values
    where measure_name in (
        {%- for measure in measures %}
        '{{ measure }}'{{ ',' if not loop.last }}
        {%- endfor %}
    )
    group by report_id, document_level
),

final as (
    select
        {{ dbt.concat(["pivoted.report_id", "':'", "pivoted.document_level"]) }} as e_document_id,
        pivoted.report_id,
        report_context.unit_code,
        report_context.unit_name,
        report_context.unit_level,
        report_context.province_code_at_report,
        report_context.period_key,
        report_context.period_type,
        report_context.period_end_date,
        pivoted.document_level,
        pivoted.outgoing_documents,
        pivoted.fully_electronic_documents,
        pivoted.electronic_and_paper_documents,
        100.0 * pivoted.fully_electronic_documents / nullif(pivoted.outgoing_documents, 0)
            as fully_electronic_share_computed,
        pivoted.fully_electronic_rate as fully_electronic_share_reported,
        pivoted.fully_electronic_rate_qualifier as fully_electronic_share_reported_qualifier,
        100.0 * pivoted.fully_electronic_documents / nullif(pivoted.outgoing_documents, 0)
            - pivoted.fully_electronic_rate as fully_electronic_share_difference,
        case
            when pivoted.outgoing_documents is null then 'outgoing documents not reported'
            when pivoted.outgoing_documents = 0 then 'no outgoing document'
            when pivoted.fully_electronic_documents is null then 'fully electronic documents not reported'
        end as fully_electronic_share_null_reason,
        100.0 * pivoted.electronic_and_paper_documents / nullif(pivoted.outgoing_documents, 0)
            as electronic_and_paper_share_computed,
        pivoted.electronic_and_paper_rate as electronic_and_paper_share_reported,
        pivoted.electronic_and_paper_rate_qualifier as electronic_and_paper_share_reported_qualifier,
        pivoted.is_cumulative,
        pivoted.window_months,
        report_context.template_family,
        report_context.source_file,
        pivoted.outgoing_documents_source_line,
        pivoted.fully_electronic_documents_source_line,
        pivoted.fully_electronic_rate_source_line,
        pivoted.comparability_note
    from pivoted
    inner join report_context
        on pivoted.report_id = report_context.report_id
    where pivoted.reported_value_count > 0
)

select * from final
