-- The canonical stream: the candidate values of every template family (mapped through the
-- crosswalks) and the hand-entered values (value_source 'hand_entered', template_family
-- 'hand_entered') in one relation.
with

harmonized as (
    select * from {{ ref('int_indicator_values_harmonized') }}
),

hand_entered as (
    select * from {{ ref('int_hand_entered__indicator_values') }}
),

final as (
    select * from harmonized
    union all
    select * from hand_entered
)

select * from final
