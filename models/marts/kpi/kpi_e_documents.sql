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
    select * from {{ ref('int_kpi_measure_inputs') }}
),

report_context as (
    select * from {{ ref('int_kpi_report_context') }}
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
        {{ kpi_pivot_measures(measures, key_column='measure_name') }},
        {{ dbt.bool_or("is_cumulative") }} as is_cumulative,
        max(window_months) as window_months,
        {{ dbt.listagg("distinct comparability_note", "' | '", "order by comparability_note") }}
            as comparability_note
    from level_values
    where {{ kpi_measure_filter(measures, key_column='measure_name') }}
    group by report_id, document_level
),

final as (
    select
        {{ dbt.concat(["pivoted.report_id", "':'", "pivoted.document_level"]) }} as e_document_id,
        pivoted.report_id,
        {{ kpi_report_context_columns() }},
        pivoted.document_level,
        {{ admin_level_name('pivoted.document_level', 'vi') }} as document_level_name_vi,
        {{ admin_level_name('pivoted.document_level', 'en') }} as document_level_name_en,
        pivoted.outgoing_documents,
        pivoted.fully_electronic_documents,
        pivoted.electronic_and_paper_documents,
        {{ kpi_rate_vs_reported(
            'fully_electronic_share',
            numerator='pivoted.fully_electronic_documents',
            denominator='pivoted.outgoing_documents',
            reported='pivoted.fully_electronic_rate',
            reported_qualifier='pivoted.fully_electronic_rate_qualifier',
            denominator_missing='outgoing documents not reported',
            denominator_zero='no outgoing document',
            numerator_missing='fully electronic documents not reported',
        ) }},
        {{ kpi_percent('pivoted.electronic_and_paper_documents', 'pivoted.outgoing_documents') }}
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
