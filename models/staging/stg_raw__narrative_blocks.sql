with

source as (
    select * from {{ source('raw', 'narrative_blocks') }}
),

final as (
    select
        {{ dbt.concat(["report_id", "':'", dbt.safe_cast("block_seq", dbt.type_string())]) }} as narrative_block_id,
        report_id,
        source_file,
        block_seq,
        line_start,
        line_end,
        heading,
        text as block_text
    from source
)

select * from final
