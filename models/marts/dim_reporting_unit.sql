-- Every unit of the official register (stg_raw__admin_units, both editions) with its hierarchy,
-- GSO code, validity and the July 2025 reorganisation: each unit under the province of its time
-- (province_code_at_report) and under today's province (province_code_today). Project aliases and
-- notes come from seeds/unit_aliases.csv. English names: the register has none (it names units in
-- Vietnamese only), so they follow one rule (macro unit_full_name_en): the name without diacritics,
-- then the English type word ("thị xã Vĩnh Châu" -> "Vinh Chau Town", "phường 1" -> "Ward 1");
-- provinces by their name without diacritics ("Sóc Trăng" -> "Soc Trang").
with

units as (
    select * from {{ ref('stg_raw__admin_units') }}
),

aliases as (
    select
        unit_code,
        {{ dbt.listagg("alias", "', '", "order by alias") }} as aliases,
        {{ dbt.listagg("note", "' '", "order by alias") }} as note
    from {{ ref('unit_aliases') }}
    group by unit_code
),

with_today as (
    select
        units.*,
        provinces.unit_name_vi as province_name_at_report,
        {{ ascii_fold('provinces.unit_name_vi') }} as province_name_at_report_en,
        case
            when units.edition = '2025' then units.province_code
            else provinces.successor_unit_code
        end as province_code_today
    from units
    left join units as provinces
        on units.province_code = provinces.unit_code
),

final as (
    select
        with_today.unit_code,
        with_today.unit_name_vi,
        with_today.unit_type_vi,
        {{ dbt.concat(["with_today.unit_type_vi", "' '", "with_today.unit_name_vi"]) }} as unit_full_name_vi,
        {{ ascii_fold('with_today.unit_name_vi') }} as unit_name_en,
        {{ unit_type_en('with_today.unit_type_vi') }} as unit_type_en,
        {{ unit_full_name_en('with_today.unit_name_vi', 'with_today.unit_type_vi') }} as unit_full_name_en,
        with_today.unit_level,
        {{ admin_level_name('with_today.unit_level', 'vi') }} as unit_level_name_vi,
        {{ admin_level_name('with_today.unit_level', 'en') }} as unit_level_name_en,
        with_today.parent_unit_code,
        case
            when with_today.unit_level = 'district' then with_today.unit_code
            when with_today.unit_level = 'commune' and with_today.edition = 'legacy'
                then with_today.parent_unit_code
        end as district_code,
        with_today.gso_code,
        with_today.valid_from,
        with_today.valid_to,
        with_today.valid_to is null as is_active_today,
        with_today.successor_unit_code,
        with_today.province_code as province_code_at_report,
        with_today.province_name_at_report,
        with_today.province_name_at_report_en,
        with_today.province_code_today,
        provinces_today.unit_name_vi as province_name_today,
        {{ ascii_fold('provinces_today.unit_name_vi') }} as province_name_today_en,
        aliases.note,
        with_today.edition,
        with_today.successor_gso_codes,
        aliases.aliases
    from with_today
    left join units as provinces_today
        on with_today.province_code_today = provinces_today.unit_code
    left join aliases
        on with_today.unit_code = aliases.unit_code
)

select * from final
