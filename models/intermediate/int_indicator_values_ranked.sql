-- Ranks the candidate values of each (report, indicator): a reported value beats an empty cell,
-- a table row beats a note figure, then the first row in the file wins. Rank 1 is the value the
-- marts use; the others are listed as duplicates in mapping_coverage.
--
-- Incremental (a table, read by many models and tests): ranks partition by report, and a report's
-- candidates are a function of its own raw rows (keyed by the file's bytes) and of the seeds and
-- models in harmonization_fingerprint(). So a build ranks only the reports not ranked yet under
-- the current fingerprint; when the fingerprint changes every report is ranked again (delete+insert
-- on report_id). ranked_at is the start of the build that ranked the report (fct_indicator_values
-- rebuilds the unit x periods of those reports).
{{ config(
    materialized='incremental',
    unique_key='report_id',
    incremental_strategy='delete+insert',
    on_schema_change='sync_all_columns',
) }}
{%- set fingerprint = harmonization_fingerprint() %}

with

all_candidate_values as (
    select * from {{ ref('int_indicator_values_unioned') }}
),

candidate_values as (
    select all_candidate_values.*
    from all_candidate_values
    {%- if is_incremental() %}
    where not exists (
        select 1
        from {{ this }} as ranked_before
        where
            ranked_before.report_id = all_candidate_values.report_id
            and ranked_before.harmonization_fingerprint = '{{ fingerprint }}'
    )
    {%- endif %}
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
        ranked.candidate_rank = 1 as is_selected,
        '{{ fingerprint }}' as harmonization_fingerprint,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp) as ranked_at
    from ranked
)

select * from final
