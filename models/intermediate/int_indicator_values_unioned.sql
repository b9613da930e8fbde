-- The canonical stream: the candidate values of every template family and the hand-entered
-- values (value_source 'hand_entered', template_family 'hand_entered') in one relation.
with

soctrang_2021 as (
    select * from {{ ref('int_soctrang_2021__indicator_values') }}
),

soctrang_2022 as (
    select * from {{ ref('int_soctrang_2022__indicator_values') }}
),

national_2023 as (
    select * from {{ ref('int_national_2023__indicator_values') }}
),

national_commune_2024 as (
    select * from {{ ref('int_national_commune_2024__indicator_values') }}
),

hand_entered as (
    select * from {{ ref('int_hand_entered__indicator_values') }}
),

final as (
    select * from soctrang_2021
    union all
    select * from soctrang_2022
    union all
    select * from national_2023
    union all
    select * from national_commune_2024
    union all
    select * from hand_entered
)

select * from final
