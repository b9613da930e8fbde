-- All four crosswalk seeds in one relation, with the family they belong to.
with

crosswalk_soctrang_2021 as (
    select * from {{ ref('crosswalk_soctrang_2021') }}
),

crosswalk_soctrang_2022 as (
    select * from {{ ref('crosswalk_soctrang_2022') }}
),

crosswalk_national_2023 as (
    select * from {{ ref('crosswalk_national_2023') }}
),

crosswalk_national_commune_2024 as (
    select * from {{ ref('crosswalk_national_commune_2024') }}
),

unioned as (
    select
        'soctrang_2021' as template_family,
        *
    from crosswalk_soctrang_2021
    union all
    select
        'soctrang_2022' as template_family,
        *
    from crosswalk_soctrang_2022
    union all
    select
        'national_2023' as template_family,
        *
    from crosswalk_national_2023
    union all
    select
        'national_commune_2024' as template_family,
        *
    from crosswalk_national_commune_2024
),

final as (
    select
        {{ dbt.concat([
            "template_family", "':'", "template_row_id", "':'", "coalesce(note_keyword, '')",
        ]) }} as crosswalk_entry_id,
        template_family,
        template_row_id,
        indicator_code,
        coalesce(note_keyword, '') as note_keyword,
        value_transform,
        unmapped_reason,
        comparability_note
    from unioned
)

select * from final
