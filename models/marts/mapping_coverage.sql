-- Every raw statistic row that did not become a value of fct_indicator_values, with the reason
-- and whether the reason is one a person accepts (accepted reasons: the row is deliberately
-- unmapped by the crosswalk, is an empty duplicate or repeats the selected value, or its report
-- is held out / superseded; an unrecognized or unmapped row is accepted only when it is empty).
with

statistic_rows as (
    select * from {{ ref('stg_raw__statistic_rows') }}
),

reports as (
    select * from {{ ref('dim_report') }}
),

crosswalks as (
    select * from {{ ref('int_crosswalks_unioned') }}
),

ranked_values as (
    select * from {{ ref('int_indicator_values_ranked') }}
),

row_crosswalk as (
    select *
    from crosswalks
    where note_keyword = ''
),

table_row_candidates as (
    select *
    from ranked_values
    where value_source = 'table_row'
),

selected_values as (
    select *
    from ranked_values
    where is_selected
),

rows_with_mapping as (
    select
        statistic_rows.*,
        reports.template_family,
        reports.is_held_out,
        reports.hold_reason,
        reports.is_current_version,
        row_crosswalk.crosswalk_entry_id,
        row_crosswalk.indicator_code as crosswalk_indicator_code,
        row_crosswalk.unmapped_reason,
        row_crosswalk.comparability_note as crosswalk_note,
        table_row_candidates.is_selected,
        selected_values.row_seq as selected_row_seq,
        selected_values.value_source as selected_value_source,
        selected_values.raw_value as selected_raw_value,
        selected_values.value_number as selected_value_number
    from statistic_rows
    inner join reports
        on statistic_rows.report_id = reports.report_id
    left join row_crosswalk
        on
            reports.template_family = row_crosswalk.template_family
            and statistic_rows.template_row_id = row_crosswalk.template_row_id
    left join table_row_candidates
        on statistic_rows.statistic_row_id = table_row_candidates.statistic_row_id
    left join selected_values
        on
            table_row_candidates.report_id = selected_values.report_id
            and table_row_candidates.indicator_code = selected_values.indicator_code
),

classified as (
    select
        *,
        value_kind <> 'empty' as carries_value,
        case
            when is_held_out then 'report_held_out'
            when not is_current_version then 'superseded_version'
            when template_row_id is null then 'unrecognized_label'
            when crosswalk_entry_id is null then 'not_in_crosswalk'
            when crosswalk_indicator_code is null then 'deliberately_unmapped'
            when not is_selected then 'duplicate_indicator'
        end as coverage_reason
    from rows_with_mapping
),

final as (
    select
        statistic_row_id,
        report_id,
        source_file,
        row_seq,
        line_start as source_line_start,
        line_end as source_line_end,
        template_family,
        template_row_id,
        row_path,
        raw_label,
        raw_unit,
        raw_value,
        value_kind,
        carries_value,
        coverage_reason,
        case coverage_reason
            when 'report_held_out' then coalesce(hold_reason, 'report held out')
            when 'superseded_version' then 'a later version of the same unit and period is current'
            when 'unrecognized_label' then coalesce(template_match_note, 'label not recognized')
            when 'not_in_crosswalk' then 'template row missing from the crosswalk'
            when 'deliberately_unmapped' then {{ dbt.concat([
                "unmapped_reason", "': '", "coalesce(crosswalk_note, '')",
            ]) }}
            when 'duplicate_indicator' then {{ dbt.concat([
                "crosswalk_indicator_code", "' taken from row '",
                dbt.safe_cast("selected_row_seq", dbt.type_string()), "' ('", "selected_value_source",
                "'): '", "coalesce(selected_raw_value, '')"]) }}
        end as reason_detail,
        case
            when coverage_reason in ('report_held_out', 'superseded_version', 'deliberately_unmapped') then true
            when coverage_reason = 'duplicate_indicator'
                then not carries_value or value_number = selected_value_number
            else not carries_value
        end as is_accepted,
        value_place
    from classified
    where coverage_reason is not null
)

select * from final
