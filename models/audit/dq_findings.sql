-- One row per violation of a rule in a report (and per row with a value that reaches no indicator,
-- rule unmapped_value), with what was observed, what the rule expected, a message in English and
-- in Vietnamese (message_vi, for the Vietnamese audit page) and the lineage: source_file,
-- line_start..line_end covering every source row involved, source_lines, the JSON array of the
-- individual lines for highlighting, and value_places, the places of the involved values in an
-- original document (DOCX cell, XLSX address, PDF page and line), null for text files.
with

checks as (
    select * from {{ ref('dq_rule_checks') }}
),

-- the document's facts with the hand-entered facts of the same unit x period (the document wins)
indicator_values as (
    select * from {{ ref('int_indicator_values_with_hand_entered') }}
),

second_statements as (
    select * from {{ ref('int_indicator_values_ranked') }}
    where candidate_rank = 2 and is_reported
),

mapping_coverage as (
    select * from {{ ref('mapping_coverage') }}
),

failed as (
    select * from checks
    where status = 'failed'
),

-- the source rows of the indicators a finding involves (reported ones; for completeness the empty
-- row itself), plus the second statement of a figure stated twice; a row from another file than
-- the finding's (a hand-entered fact joined to the document) is named in other_sources instead
all_involved_rows as (
    select
        failed.check_id,
        failed.source_file as finding_file,
        indicator_values.source_file,
        indicator_values.source_line_start as line_from,
        indicator_values.source_line_end as line_to,
        indicator_values.value_place
    from failed
    inner join indicator_values
        on
            failed.report_id = indicator_values.report_id
            and {{ dbt.position(
                "',' || indicator_values.indicator_code || ','", "',' || failed.indicator_codes || ','"
            ) }} > 0
            and (indicator_values.is_reported or failed.rule_kind = 'completeness')
    union all
    select
        failed.check_id,
        failed.source_file as finding_file,
        second_statements.source_file,
        second_statements.source_line_start as line_from,
        second_statements.source_line_end as line_to,
        second_statements.value_place
    from failed
    inner join second_statements
        on
            failed.report_id = second_statements.report_id
            and failed.item_code = second_statements.indicator_code
    where failed.uses_second_statement
    union all
    -- a value that reaches no indicator (rule kind unmapped_value, item row:<row_seq>): its own row
    select
        failed.check_id,
        failed.source_file as finding_file,
        mapping_coverage.source_file,
        mapping_coverage.source_line_start as line_from,
        mapping_coverage.source_line_end as line_to,
        mapping_coverage.value_place
    from failed
    inner join mapping_coverage
        on
            failed.report_id = mapping_coverage.report_id
            and failed.item_code = 'row:' || cast(mapping_coverage.row_seq as {{ dbt.type_string() }})
    where failed.rule_kind = 'unmapped_value'
),

involved_rows as (
    select * from all_involved_rows
    where source_file = finding_file
),

other_sources as (
    select
        check_id,
        {{ dbt.listagg(
            dbt.concat(["source_file", "' line '", "cast(line_from as " ~ dbt.type_string() ~ ")"]),
            "', '", "order by source_file, line_from") }} as other_sources
    from (
        select distinct
            check_id,
            source_file,
            line_from
        from all_involved_rows
        where source_file <> finding_file
    ) as other_rows
    group by check_id
),

value_places as (
    select
        check_id,
        {{ dbt.listagg("value_place", "'; '", "order by line_from, value_place") }} as value_places
    from (
        select distinct
            check_id,
            line_from,
            value_place
        from involved_rows
        where value_place is not null
    ) as placed_rows
    group by check_id
),

numbers as (
    {{ dbt.generate_series(2048) }}
),

involved_lines as (
    select distinct
        involved_rows.check_id,
        -- bigint on every adapter (dbt's default generate_series gives a double on Postgres)
        cast(involved_rows.line_from + numbers.generated_number - 1 as {{ dbt.type_bigint() }}) as line_no
    from involved_rows
    inner join numbers
        on numbers.generated_number <= involved_rows.line_to - involved_rows.line_from + 1
),

line_sets as (
    select
        check_id,
        min(line_no) as line_start,
        max(line_no) as line_end,
        '[' || {{ dbt.listagg("cast(line_no as " ~ dbt.type_string() ~ ")", "','", "order by line_no") }} || ']'
            as source_lines
    from involved_lines
    group by check_id
),

final as (
    select
        failed.check_id as finding_id,
        failed.rule_id,
        failed.rule_kind,
        failed.severity,
        failed.report_id,
        failed.unit_code,
        failed.period_key,
        failed.indicator_codes,
        failed.observed,
        failed.expected,
        case
            when other_sources.other_sources is null then failed.message
            else failed.message || ' (also from ' || other_sources.other_sources || ')'
        end as message,
        case
            when other_sources.other_sources is null then failed.message_vi
            else failed.message_vi || ' (cũng từ ' || other_sources.other_sources || ')'
        end as message_vi,
        failed.source_file,
        line_sets.line_start,
        line_sets.line_end,
        coalesce(line_sets.source_lines, '[]') as source_lines,
        other_sources.other_sources,
        value_places.value_places
    from failed
    left join line_sets
        on failed.check_id = line_sets.check_id
    left join other_sources
        on failed.check_id = other_sources.check_id
    left join value_places
        on failed.check_id = value_places.check_id
)

select * from final
