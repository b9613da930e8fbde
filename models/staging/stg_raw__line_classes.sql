with

source as (
    select * from {{ source('raw', 'line_classes') }}
),

final as (
    select
        {{ dbt.concat(["report_id", "':'", dbt.safe_cast("line_no", dbt.type_string())]) }} as line_id,
        report_id,
        source_file,
        line_no,
        line_class,
        reason as class_reason,
        line_text,
        source_place
    from source
)

select * from final
