-- Every numeric indicator value of the current reports as one number the KPI marts can use,
-- with its measurement window and lineage. An empty cell stays null (not reported is not zero).
with

-- the document's facts with the hand-entered facts of the same unit x period (the document wins)
indicator_values as (
    select * from {{ ref('int_indicator_values_with_hand_entered') }}
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

report_context as (
    select * from {{ ref('int_kpi_report_context') }}
),

numeric_values as (
    select
        indicator_values.*,
        indicators.reform_area,
        indicators.admin_level,
        indicators.value_type,
        indicators.is_rate,
        case
            when not indicator_values.is_reported then null
            when indicators.value_type = 'percent'
                then
                    case
                        when indicator_values.value_kind in ('percent', 'count') then indicator_values.value_number
                        when indicator_values.value_kind = 'ratio'
                            then {{ kpi_percent('indicator_values.numerator', 'indicator_values.denominator') }}
                    end
            when indicators.value_type in ('count', 'amount_million_vnd')
                then
                    case
                        when indicator_values.value_kind in ('count', 'percent') then indicator_values.value_number
                        when indicator_values.value_kind = 'ratio' then indicator_values.numerator
                    end
            when indicators.value_type in ('yes_no', 'coded')
                then
                    case
                        when indicator_values.value_kind in ('code', 'count') then indicator_values.value_number
                    end
        end as measure_value
    from indicator_values
    inner join indicators
        on indicator_values.indicator_code = indicators.indicator_code
    where indicators.value_type in ('count', 'amount_million_vnd', 'percent', 'yes_no', 'coded')
),

final as (
    select
        numeric_values.indicator_value_id as measure_input_id,
        numeric_values.report_id,
        report_context.unit_code,
        report_context.period_key,
        numeric_values.indicator_code,
        numeric_values.reform_area,
        numeric_values.admin_level,
        numeric_values.value_type,
        numeric_values.is_rate,
        cast(numeric_values.measure_value as double precision) as measure_value,
        numeric_values.is_reported,
        numeric_values.measure_value is not null and numeric_values.qualifier is null as is_exact,
        numeric_values.qualifier,
        numeric_values.is_cumulative,
        case
            when numeric_values.is_cumulative then report_context.year_to_date_months
            else report_context.period_months
        end as window_months,
        numeric_values.value_kind,
        numeric_values.value_source,
        numeric_values.template_family,
        numeric_values.source_file,
        numeric_values.source_line_start,
        numeric_values.source_line_end,
        numeric_values.raw_label,
        numeric_values.raw_unit,
        numeric_values.raw_value,
        numeric_values.comparability_note
    from numeric_values
    inner join report_context
        on numeric_values.report_id = report_context.report_id
)

select * from final
