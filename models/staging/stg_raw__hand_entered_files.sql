-- One row per loaded hand-entered values CSV file version, with whether it is the current
-- (latest loaded) version of its file name.
with

source as (
    select * from {{ source('raw', 'hand_entered_files') }}
),

final as (
    select
        file_id,
        source_file,
        source_path,
        file_sha256,
        line_count,
        row_count,
        value_count,
        rejected_count,
        version_number,
        version_number = max(version_number) over (partition by source_file) as is_current_version,
        loaded_at,
        parser_version
    from source
)

select * from final
