-- Hand-entered values as candidate values of the canonical stream: the same columns, in the same
-- order, as int_indicator_values_harmonized, with value_source 'hand_entered'
-- and the CSV's lineage: source_file = the CSV name, source lines = the row's CSV line, raw_value =
-- the value as written. The CSV already names the canonical indicator: no crosswalk.
with

hand_entered_values as (
    select * from {{ ref('stg_raw__hand_entered_values') }}
),

final as (
    select
        {{ dbt.concat([
            "report_id", "':'", dbt.safe_cast("line_start", dbt.type_string()),
            "':hand_entered:'", "indicator_code",
        ]) }} as candidate_value_id,
        report_id,
        'hand_entered' as template_family,
        indicator_code,
        'hand_entered' as value_source,
        cast(null as {{ dbt.type_string() }}) as template_row_id,
        cast(null as {{ dbt.type_string() }}) as statistic_row_id,
        line_start as row_seq,
        cast(null as integer) as note_fact_seq,
        source_file,
        line_start as source_line_start,
        line_end as source_line_end,
        raw_indicator_code as raw_label,
        raw_unit,
        raw_value,
        value_kind,
        value_number,
        value_text,
        qualifier,
        numerator,
        denominator,
        value_kind <> 'empty' as is_reported,
        false as mentions_cumulative,
        'as_is' as value_transform,
        {{ dbt.concat([
            "'hand-entered from: '", "source_reference",
            "case when note <> '' then " ~ dbt.concat(["'; note: '", "note"]) ~ " else '' end",
        ]) }} as comparability_note,
        cast(null as {{ dbt.type_string() }}) as value_place
    from hand_entered_values
)

select * from final
