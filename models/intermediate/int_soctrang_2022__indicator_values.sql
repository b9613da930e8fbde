-- Statistic rows (and note figures) of soctrang_2022 reports mapped to canonical indicators
-- through seeds/crosswalk/crosswalk_soctrang_2022.csv; one row per candidate value, with lineage.
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
    select * from {{ ref('crosswalk_soctrang_2022') }}
),

{{ map_through_crosswalk('soctrang_2022') }}

select * from final
