-- The canonical values of marts.fct_indicator_values with the hand-entered facts joined to the
-- document of the same unit x period: one set of facts per report for the rules (audit) and the
-- KPI marts. A hand-entered fact joins the document's report (taking its report_id and template
-- family, keeping its own source file and lines) when the document does not report the indicator;
-- where both state it, the document wins and the hand-entered fact is left out here. Hand-entered
-- facts of a unit x period without a document stay a report of their own.
with

indicator_values as (
    select * from {{ ref('fct_indicator_values') }}
),

document_values as (
    select *
    from indicator_values
    where template_family <> 'hand_entered'
),

hand_entered_values as (
    select *
    from indicator_values
    where template_family = 'hand_entered'
),

document_reports as (
    select
        report_id,
        unit_code,
        period_key,
        max(template_family) as template_family
    from document_values
    group by report_id, unit_code, period_key
),

-- hand-entered facts beside a document: the document's report, unless it reports the indicator
hand_entered_joined as (
    select
        hand_entered_values.indicator_value_id,
        document_reports.report_id,
        hand_entered_values.unit_code,
        hand_entered_values.unit_name_vi,
        hand_entered_values.unit_name_en,
        hand_entered_values.province_name_vi,
        hand_entered_values.province_name_en,
        hand_entered_values.period_key,
        hand_entered_values.indicator_code,
        hand_entered_values.indicator_name_vi,
        hand_entered_values.indicator_name_en,
        document_reports.template_family,
        hand_entered_values.value_kind,
        hand_entered_values.value_number,
        hand_entered_values.value_text,
        hand_entered_values.qualifier,
        hand_entered_values.numerator,
        hand_entered_values.denominator,
        hand_entered_values.is_reported,
        hand_entered_values.is_cumulative,
        hand_entered_values.value_source,
        hand_entered_values.source_file,
        hand_entered_values.source_line_start,
        hand_entered_values.source_line_end,
        hand_entered_values.source_row_seq,
        hand_entered_values.raw_label,
        hand_entered_values.raw_unit,
        hand_entered_values.raw_value,
        hand_entered_values.template_row_id,
        hand_entered_values.comparability_note,
        hand_entered_values.value_place,
        'hand_entered' as value_origin,
        hand_entered_values.report_id as origin_report_id
    from hand_entered_values
    inner join document_reports
        on
            hand_entered_values.unit_code = document_reports.unit_code
            and hand_entered_values.period_key = document_reports.period_key
    left join document_values
        on
            document_reports.report_id = document_values.report_id
            and hand_entered_values.indicator_code = document_values.indicator_code
            and document_values.is_reported
    where document_values.indicator_value_id is null
),

-- hand-entered facts of a unit x period without a document: their own report
hand_entered_alone as (
    select
        hand_entered_values.*,
        'hand_entered' as value_origin,
        hand_entered_values.report_id as origin_report_id
    from hand_entered_values
    left join document_reports
        on
            hand_entered_values.unit_code = document_reports.unit_code
            and hand_entered_values.period_key = document_reports.period_key
    where document_reports.report_id is null
),

-- the document's own rows, less an empty row whose indicator a hand-entered fact now gives
document_kept as (
    select
        document_values.*,
        'document' as value_origin,
        document_values.report_id as origin_report_id
    from document_values
    left join hand_entered_joined
        on
            document_values.report_id = hand_entered_joined.report_id
            and document_values.indicator_code = hand_entered_joined.indicator_code
    where hand_entered_joined.indicator_value_id is null
),

unioned as (
    select * from document_kept
    union all
    select * from hand_entered_joined
    union all
    select * from hand_entered_alone
),

final as (
    select * from unioned
)

select * from final
