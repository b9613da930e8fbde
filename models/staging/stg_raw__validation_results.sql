with

source as (
    select * from {{ source('raw', 'validation_results') }}
),

final as (
    select
        {{ dbt.concat(["report_id", "':'", "expectation", "':'", "column_name"]) }} as validation_result_id,
        report_id,
        source_file,
        expectation,
        column_name as expectation_column,
        success as is_success,
        unexpected_count,
        details as details_json,
        validated_at
    from source
)

select * from final
