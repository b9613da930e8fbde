with

source as (
    select * from {{ source('raw', 'note_values') }}
),

final as (
    select
        {{ dbt.concat([
            "report_id", "':'",
            dbt.safe_cast("row_seq", dbt.type_string()), "':'",
            dbt.safe_cast("fact_seq", dbt.type_string()),
        ]) }} as note_value_id,
        {{ dbt.concat(["report_id", "':'", dbt.safe_cast("row_seq", dbt.type_string())]) }} as statistic_row_id,
        report_id,
        source_file,
        row_seq,
        fact_seq,
        line_start,
        line_end,
        raw_text,
        keyword,
        lower(trim(coalesce(keyword, ''))) as keyword_normalized,
        value_kind,
        cast(value_number as double precision) as value_number,
        qualifier,
        cast(numerator as double precision) as numerator,
        cast(denominator as double precision) as denominator
    from source
)

select * from final
