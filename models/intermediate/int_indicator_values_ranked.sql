-- Ranks the candidate values of each (report, indicator): a reported value beats an empty cell,
-- a table row beats a note figure, then the first row in the file wins. Rank 1 is the value the
-- marts use; the others are listed as duplicates in mapping_coverage.
with

candidate_values as (
    select * from {{ ref('int_indicator_values_unioned') }}
),

ranked as (
    select
        candidate_values.*,
        row_number() over (
            partition by candidate_values.report_id, candidate_values.indicator_code
            order by
                case when candidate_values.is_reported then 0 else 1 end,
                case candidate_values.value_source when 'table_row' then 0 when 'note' then 1 else 2 end,
                candidate_values.row_seq,
                coalesce(candidate_values.note_fact_seq, 0)
        ) as candidate_rank,
        count(*) over (partition by candidate_values.report_id, candidate_values.indicator_code) as candidate_count
    from candidate_values
),

final as (
    select
        ranked.*,
        ranked.candidate_rank = 1 as is_selected
    from ranked
)

select * from final
