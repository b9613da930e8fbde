-- Every row of every template_rows seed appears in its family's crosswalk (mapped or with an
-- unmapped_reason), and every crosswalk entry is either mapped or explained, never both or neither.
with

template_rows_soctrang_2021 as (
    select * from {{ ref('template_rows_soctrang_2021') }}
),

template_rows_soctrang_2022 as (
    select * from {{ ref('template_rows_soctrang_2022') }}
),

template_rows_national_2023 as (
    select * from {{ ref('template_rows_national_2023') }}
),

template_rows_national_commune_2024 as (
    select * from {{ ref('template_rows_national_commune_2024') }}
),

crosswalks as (
    select * from {{ ref('int_crosswalks_unioned') }}
),

template_rows as (
    select 'soctrang_2021' as template_family, template_row_id from template_rows_soctrang_2021
    union all
    select 'soctrang_2022' as template_family, template_row_id from template_rows_soctrang_2022
    union all
    select 'national_2023' as template_family, template_row_id from template_rows_national_2023
    union all
    select 'national_commune_2024' as template_family, template_row_id from template_rows_national_commune_2024
),

rows_missing_from_crosswalk as (
    select
        template_rows.template_family,
        template_rows.template_row_id,
        'template row missing from the crosswalk' as problem
    from template_rows
    left join crosswalks
        on template_rows.template_family = crosswalks.template_family
        and template_rows.template_row_id = crosswalks.template_row_id
        and crosswalks.note_keyword = ''
    where crosswalks.crosswalk_entry_id is null
),

entries_not_explained as (
    select
        template_family,
        template_row_id,
        'crosswalk entry must have exactly one of indicator_code and unmapped_reason' as problem
    from crosswalks
    where (indicator_code is null and unmapped_reason is null)
        or (indicator_code is not null and unmapped_reason is not null)
        or (note_keyword <> '' and indicator_code is null)
),

final as (
    select * from rows_missing_from_crosswalk
    union all
    select * from entries_not_explained
)

select * from final
