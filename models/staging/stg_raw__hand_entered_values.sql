-- One row per valid row of a hand-entered values CSV (ingest/hand_entered.py), cast, with the
-- canonical period_key and the id of the hand-entered report (CSV file version x unit x period)
-- the value belongs to.
with

source as (
    select * from {{ source('raw', 'hand_entered_values') }}
),

final as (
    select
        {{ dbt.concat(["file_id", "':'", dbt.safe_cast("line_start", dbt.type_string())]) }}
            as hand_entered_value_id,
        {{ dbt.concat([
            "file_id", "':'", "unit_code", "':'",
            period_key('period_type', 'period_year', 'period_number'),
        ]) }} as report_id,
        file_id,
        source_file,
        line_start,
        line_end,
        raw_unit_code,
        raw_period,
        raw_indicator_code,
        raw_value,
        raw_unit,
        unit_code,
        trim(unit_name) as unit_name,
        unit_level,
        trim(province) as province_name,
        parent_unit_code,
        period_year,
        period_type,
        period_number,
        {{ period_key('period_type', 'period_year', 'period_number') }} as period_key,
        indicator_code,
        unit,
        value_kind,
        cast(value_number as double precision) as value_number,
        qualifier,
        cast(numerator as double precision) as numerator,
        cast(denominator as double precision) as denominator,
        value_text,
        unit_in_value,
        source_reference,
        note
    from source
)

select * from final
