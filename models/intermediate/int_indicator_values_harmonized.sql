-- Statistic rows (and note figures) of every template family mapped to canonical indicators
-- through the family's crosswalk (seeds/crosswalk/crosswalk_<family>.csv, unioned in
-- int_crosswalks_unioned), joined on (template_family, template_row_id); one row per candidate
-- value, with lineage.
--
-- - table_row_values: each statistic row whose template row the crosswalk maps (note_keyword
--   blank) becomes one candidate value (value_source 'table_row');
-- - note_derived_values: each crosswalk entry with a note_keyword picks the first matching figure
--   of that row's note ('%' = a percent figure, '#' = a bare number, '/' = a fraction, any other
--   text = a figure whose keyword starts with it) and becomes its own candidate value
--   (value_source 'note');
-- - final: applies value_transform ('as_is' | 'percent_from_ratio').
-- value_place: where an original document (DOCX, XLSX, PDF) holds the value: the value's cell for a
-- table row, the place of the note's first line for a note figure; null for text files.
with

statistic_rows as (
    select * from {{ ref('stg_raw__statistic_rows') }}
),

note_values as (
    select * from {{ ref('stg_raw__note_values') }}
),

reports as (
    select * from {{ ref('stg_raw__reports') }}
),

crosswalk as (
    select * from {{ ref('int_crosswalks_unioned') }}
),

line_places as (
    select * from {{ ref('stg_raw__line_classes') }}
),

family_rows as (
    select
        statistic_rows.*,
        reports.template_family
    from statistic_rows
    inner join reports
        on statistic_rows.report_id = reports.report_id
),

row_crosswalk as (
    select *
    from crosswalk
    where
        note_keyword = ''
        and indicator_code is not null
),

note_crosswalk as (
    select *
    from crosswalk
    where
        note_keyword <> ''
        and indicator_code is not null
),

table_row_values as (
    select
        family_rows.report_id,
        family_rows.template_family,
        row_crosswalk.indicator_code,
        'table_row' as value_source,
        family_rows.template_row_id,
        family_rows.statistic_row_id,
        family_rows.row_seq,
        cast(null as integer) as note_fact_seq,
        family_rows.source_file,
        family_rows.line_start as source_line_start,
        family_rows.line_end as source_line_end,
        family_rows.raw_label,
        family_rows.raw_unit,
        family_rows.raw_value,
        family_rows.value_kind,
        family_rows.value_number,
        family_rows.value_text,
        family_rows.qualifier,
        family_rows.numerator,
        family_rows.denominator,
        family_rows.value_kind <> 'empty' as is_reported,
        family_rows.mentions_cumulative,
        coalesce(row_crosswalk.value_transform, 'as_is') as value_transform,
        row_crosswalk.comparability_note,
        family_rows.value_place
    from family_rows
    inner join row_crosswalk
        on
            family_rows.template_family = row_crosswalk.template_family
            and family_rows.template_row_id = row_crosswalk.template_row_id
),

note_matches as (
    select
        family_rows.report_id,
        family_rows.template_family,
        note_crosswalk.indicator_code,
        family_rows.template_row_id,
        family_rows.statistic_row_id,
        family_rows.row_seq,
        note_values.fact_seq,
        family_rows.source_file,
        case
            when note_values.line_start < family_rows.line_start then note_values.line_start
            else family_rows.line_start
        end as source_line_start,
        case
            when note_values.line_end > family_rows.line_end then note_values.line_end
            else family_rows.line_end
        end as source_line_end,
        family_rows.raw_label,
        coalesce(note_values.keyword, '') as raw_unit,
        note_values.raw_text as raw_value,
        note_values.value_kind,
        note_values.value_number,
        note_values.qualifier,
        note_values.numerator,
        note_values.denominator,
        family_rows.mentions_cumulative,
        coalesce(note_crosswalk.value_transform, 'as_is') as value_transform,
        note_crosswalk.comparability_note,
        note_places.source_place as value_place,
        row_number() over (
            partition by family_rows.statistic_row_id, note_crosswalk.indicator_code
            order by note_values.fact_seq
        ) as match_rank
    from note_values
    inner join family_rows
        on note_values.statistic_row_id = family_rows.statistic_row_id
    inner join note_crosswalk
        on
            family_rows.template_family = note_crosswalk.template_family
            and family_rows.template_row_id = note_crosswalk.template_row_id
    left join line_places as note_places
        on
            note_values.report_id = note_places.report_id
            and note_values.line_start = note_places.line_no
    where
        (note_crosswalk.note_keyword = '%' and note_values.value_kind = 'percent')
        or (
            note_crosswalk.note_keyword = '#'
            and note_values.value_kind = 'count'
            and note_values.keyword_normalized = ''
        )
        or (note_crosswalk.note_keyword = '/' and note_values.value_kind = 'ratio')
        or (
            note_crosswalk.note_keyword not in ('%', '#', '/')
            and note_values.keyword_normalized like {{ dbt.concat([
                "lower(trim(note_crosswalk.note_keyword))", "'%'",
            ]) }}
        )
),

note_derived_values as (
    select
        report_id,
        template_family,
        indicator_code,
        'note' as value_source,
        template_row_id,
        statistic_row_id,
        row_seq,
        fact_seq as note_fact_seq,
        source_file,
        source_line_start,
        source_line_end,
        raw_label,
        raw_unit,
        raw_value,
        value_kind,
        value_number,
        cast(null as {{ dbt.type_string() }}) as value_text,
        qualifier,
        numerator,
        denominator,
        true as is_reported,
        mentions_cumulative,
        value_transform,
        comparability_note,
        value_place
    from note_matches
    where match_rank = 1
),

candidate_values as (
    select * from table_row_values
    union all
    select * from note_derived_values
),

final as (
    select
        {{ dbt.concat([
            "report_id", "':'", dbt.safe_cast("row_seq", dbt.type_string()),
            "':'", "value_source", "':'", "indicator_code",
        ]) }} as candidate_value_id,
        report_id,
        template_family,
        indicator_code,
        value_source,
        template_row_id,
        statistic_row_id,
        row_seq,
        note_fact_seq,
        source_file,
        source_line_start,
        source_line_end,
        raw_label,
        raw_unit,
        raw_value,
        case
            when value_transform = 'percent_from_ratio' and value_kind = 'ratio' then 'percent'
            else value_kind
        end as value_kind,
        case
            when value_transform = 'percent_from_ratio' and value_kind = 'ratio'
                then 100.0 * numerator / nullif(denominator, 0)
            else value_number
        end as value_number,
        value_text,
        qualifier,
        numerator,
        denominator,
        is_reported,
        mentions_cumulative,
        value_transform,
        comparability_note,
        value_place
    from candidate_values
)

select * from final
