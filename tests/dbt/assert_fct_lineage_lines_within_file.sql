-- Every fact points at real lines of its source file.
with

facts as (
    select * from {{ ref('fct_indicator_values') }}
),

reports as (
    select * from {{ ref('dim_report') }}
),

final as (
    select
        facts.indicator_value_id,
        facts.source_line_start,
        facts.source_line_end,
        reports.line_count
    from facts
    inner join reports
        on facts.report_id = reports.report_id
    where facts.source_line_start < 1
        or facts.source_line_end < facts.source_line_start
        or facts.source_line_end > reports.line_count
)

select * from final
