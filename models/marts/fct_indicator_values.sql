-- One row per report x canonical indicator, for current, not held-out report versions.
-- Documents and hand-entered values: a document wins. A hand-entered value becomes a fact only when
-- no current document of the same unit and period reports the indicator (the document's table row
-- or note carries a value; an empty cell is not a statement); of several current hand-entered
-- values of one unit x period x indicator, the latest loaded file's wins. So every unit x period x
-- indicator has at most one reported fact. Hand-entered values left out stay in
-- int_indicator_values_ranked / stg_raw__hand_entered_values.
--
-- Incremental: a report's facts depend only on the reports of its own unit x period (which version
-- is current, document beats hand-entered), so a build recomputes only the unit x periods it
-- touches (delete+insert on unit_code, period_key): those with a current report that has no facts
-- yet, with facts of a report no longer current (superseded, held out, re-resolved) and with a
-- report ranked again by this build (a new harmonization_fingerprint). The post-hook removes the
-- facts of reports no longer current whose unit x period has no facts left.
{{ config(
    materialized='incremental',
    unique_key=['unit_code', 'period_key'],
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns',
    post_hook="
        delete from {{ this }}
        where not exists (
            select 1
            from {{ ref('dim_report') }} as current_reports
            where
                current_reports.report_id = {{ this }}.report_id
                and current_reports.unit_code = {{ this }}.unit_code
                and current_reports.period_key = {{ this }}.period_key
                and current_reports.is_current_version
                and not current_reports.is_held_out
        )",
) }}

with

ranked_values as (
    select * from {{ ref('int_indicator_values_ranked') }}
),

all_reports as (
    select * from {{ ref('dim_report') }}
),
{%- if is_incremental() %}

current_reports as (
    select
        report_id,
        unit_code,
        period_key
    from all_reports
    where
        is_current_version
        and not is_held_out
),

facts_before as (
    select distinct
        report_id,
        unit_code,
        period_key
    from {{ this }}
),

ranked_now as (
    select distinct report_id
    from ranked_values
    where ranked_at = cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp)
),

-- a current report without facts, or facts of a report no longer current: one side of the join empty
touched as (
    select
        coalesce(current_reports.unit_code, facts_before.unit_code) as unit_code,
        coalesce(current_reports.period_key, facts_before.period_key) as period_key
    from current_reports
    full outer join facts_before
        on
            current_reports.report_id = facts_before.report_id
            and current_reports.unit_code = facts_before.unit_code
            and current_reports.period_key = facts_before.period_key
    where current_reports.report_id is null or facts_before.report_id is null
    union
    select
        all_reports.unit_code,
        all_reports.period_key
    from all_reports
    inner join ranked_now
        on all_reports.report_id = ranked_now.report_id
),

{%- endif %}

reports as (
    select all_reports.*
    from all_reports
    {%- if is_incremental() %}
    inner join touched
        on
            all_reports.unit_code = touched.unit_code
            and all_reports.period_key = touched.period_key
    {%- endif %}
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

reporting_units as (
    select * from {{ ref('dim_reporting_unit') }}
),

selected_values as (
    select
        ranked_values.*,
        reports.unit_code,
        reports.period_key,
        reports.loaded_at
    from ranked_values
    inner join reports
        on ranked_values.report_id = reports.report_id
    where
        ranked_values.is_selected
        and reports.is_current_version
        and not reports.is_held_out
),

document_statements as (
    select distinct
        unit_code,
        period_key,
        indicator_code
    from selected_values
    where
        value_source is distinct from 'hand_entered'
        and is_reported
),

hand_entered_ranked as (
    select
        selected_values.report_id,
        selected_values.indicator_code,
        document_statements.indicator_code is not null as is_stated_by_document,
        row_number() over (
            partition by selected_values.unit_code, selected_values.period_key, selected_values.indicator_code
            order by selected_values.loaded_at desc, selected_values.source_file desc
        ) as hand_entered_rank
    from selected_values
    left join document_statements
        on
            selected_values.unit_code = document_statements.unit_code
            and selected_values.period_key = document_statements.period_key
            and selected_values.indicator_code = document_statements.indicator_code
    where selected_values.value_source = 'hand_entered'
),

fact_values as (
    select selected_values.*
    from selected_values
    left join hand_entered_ranked
        on
            selected_values.report_id = hand_entered_ranked.report_id
            and selected_values.indicator_code = hand_entered_ranked.indicator_code
    where
        selected_values.value_source is distinct from 'hand_entered'
        or (not hand_entered_ranked.is_stated_by_document and hand_entered_ranked.hand_entered_rank = 1)
),

final as (
    select
        {{ dbt.concat(["fact_values.report_id", "':'", "fact_values.indicator_code"]) }} as indicator_value_id,
        fact_values.report_id,
        fact_values.unit_code,
        reporting_units.unit_full_name_vi as unit_name_vi,
        reporting_units.unit_full_name_en as unit_name_en,
        reporting_units.province_name_at_report as province_name_vi,
        reporting_units.province_name_at_report_en as province_name_en,
        fact_values.period_key,
        fact_values.indicator_code,
        indicators.name_vi as indicator_name_vi,
        indicators.name_en as indicator_name_en,
        fact_values.template_family,
        fact_values.value_kind,
        cast(fact_values.value_number as double precision) as value_number,
        fact_values.value_text,
        fact_values.qualifier,
        cast(fact_values.numerator as double precision) as numerator,
        cast(fact_values.denominator as double precision) as denominator,
        fact_values.is_reported,
        coalesce(indicators.is_cumulative or fact_values.mentions_cumulative, false) as is_cumulative,
        fact_values.value_source,
        fact_values.source_file,
        fact_values.source_line_start,
        fact_values.source_line_end,
        fact_values.row_seq as source_row_seq,
        fact_values.raw_label,
        fact_values.raw_unit,
        fact_values.raw_value,
        fact_values.template_row_id,
        fact_values.comparability_note,
        fact_values.value_place
    from fact_values
    inner join indicators
        on fact_values.indicator_code = indicators.indicator_code
    left join reporting_units
        on fact_values.unit_code = reporting_units.unit_code
)

select * from final
