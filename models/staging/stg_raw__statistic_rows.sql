with

source as (
    select * from {{ source('raw', 'statistic_rows') }}
),

final as (
    select
        {{ dbt.concat(["report_id", "':'", dbt.safe_cast("row_seq", dbt.type_string())]) }} as statistic_row_id,
        report_id,
        source_file,
        row_seq,
        line_start,
        line_end,
        section_code,
        section_label,
        row_code,
        row_path,
        parent_row_path,
        depth,
        is_group,
        raw_label,
        label,
        raw_unit,
        unit,
        raw_value,
        value_kind,
        cast(value_number as double precision) as value_number,
        qualifier,
        cast(numerator as double precision) as numerator,
        cast(denominator as double precision) as denominator,
        value_text,
        unit_in_value,
        raw_note,
        note,
        footnote_marks,
        template_row_id,
        cast(template_match_score as double precision) as template_match_score,
        template_match_note,
        value_place,
        -- "lũy kế" (also spelled "luỹ kế") in the label marks a cumulative figure
        (lower(label) like '%lũy kế%' or lower(label) like '%luỹ kế%') as mentions_cumulative
    from source
)

select * from final
