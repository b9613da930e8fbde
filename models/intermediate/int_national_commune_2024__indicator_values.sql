-- Statistic rows (and note figures) of national_commune_2024 reports mapped to canonical indicators
-- through seeds/crosswalk/crosswalk_national_commune_2024.csv; one row per candidate value, with lineage.
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
    select * from {{ ref('crosswalk_national_commune_2024') }}
),

{{ map_through_crosswalk('national_commune_2024') }}

select * from final
