-- One row per report x canonical indicator, for current, not held-out report versions.
with

ranked_values as (
    select * from {{ ref('int_indicator_values_ranked') }}
),

reports as (
    select * from {{ ref('dim_report') }}
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

selected_values as (
    select *
    from ranked_values
    where is_selected
),

final as (
    select
        {{ dbt.concat(["selected_values.report_id", "':'", "selected_values.indicator_code"]) }} as indicator_value_id,
        selected_values.report_id,
        reports.unit_code,
        reports.period_key,
        selected_values.indicator_code,
        selected_values.template_family,
        selected_values.value_kind,
        cast(selected_values.value_number as double precision) as value_number,
        selected_values.value_text,
        selected_values.qualifier,
        cast(selected_values.numerator as double precision) as numerator,
        cast(selected_values.denominator as double precision) as denominator,
        selected_values.is_reported,
        coalesce(indicators.is_cumulative or selected_values.mentions_cumulative, false) as is_cumulative,
        selected_values.value_source,
        selected_values.source_file,
        selected_values.source_line_start,
        selected_values.source_line_end,
        selected_values.row_seq as source_row_seq,
        selected_values.raw_label,
        selected_values.raw_unit,
        selected_values.raw_value,
        selected_values.template_row_id,
        selected_values.comparability_note
    from selected_values
    inner join reports
        on selected_values.report_id = reports.report_id
    inner join indicators
        on selected_values.indicator_code = indicators.indicator_code
    where
        reports.is_current_version
        and not reports.is_held_out
)

select * from final
