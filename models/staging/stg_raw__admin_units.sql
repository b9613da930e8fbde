-- The official unit register (raw.admin_units, both editions), one row per unit.
-- unit_code: the GSO code for units of the legacy register (63 provinces, valid until 2025-06-30:
-- every report so far is about one of them), '2025:' || code for units of the 2025 register, which
-- reuses legacy codes (new Cần Thơ 92 is not old Cần Thơ 92).
with

source as (
    select * from {{ source('raw', 'admin_units') }}
),

final as (
    select
        case when edition = 'legacy' then gso_code else '2025:' || gso_code end as unit_code,
        edition,
        gso_code,
        name as unit_name_vi,
        unit_type as unit_type_vi,
        level as unit_level,
        case
            when parent_code is null then null
            when edition = 'legacy' then parent_code
            else '2025:' || parent_code
        end as parent_unit_code,
        case when edition = 'legacy' then province_code else '2025:' || province_code end as province_code,
        valid_from,
        valid_to,
        case
            when successor_code is null then null
            when edition = 'legacy' and level = 'district' then null
            else '2025:' || successor_code
        end as successor_unit_code,
        successor_codes as successor_gso_codes,
        source_version as register_version
    from source
)

select * from final
