with

source as (
    select * from {{ source('raw', 'quarantine') }}
),

final as (
    select
        quarantine_id,
        report_id,
        source_file,
        line_start,
        line_end,
        raw_text,
        reason as quarantine_reason,
        quarantined_at
    from source
)

select * from final
