# bash completion for the vnet commands: vnet-up, vnet-down, vnetconfig,
# insanely, vnet-reset-stats, vnet-echo, vnet-monitor, vnet-module.
#
# Devices are the vnet devices (link kind "vnet"), slaves the other
# Ethernet interfaces, both read with ip(8) -- in the namespace given by
# -n/--netns when there is one, since /sys would show the wrong one.
# Works with bash-completion (_init_completion) and without it.
# Each command's file next to this one sources it.

# The words of `ip [-n NS] -o link show [type vnet]`, "@peer" and ":" cut.
_vnet_links()
{
    local ns=$1; shift
    local -a ipargs=()
    [[ -n $ns ]] && ipargs=(-n "$ns")
    ip "${ipargs[@]}" -o link show "$@" 2>/dev/null |
        awk -F': ' '{ n = $2; sub(/@.*/, "", n); print n }'
}

# vnet devices
_vnet_devices()
{
    _vnet_links "$1" type vnet
}

# Ethernet interfaces that are not vnet devices: the possible slaves
_vnet_slaves()
{
    local ns=$1 vnets
    vnets=" $(_vnet_devices "$ns" | tr '\n' ' ') "
    local -a ipargs=()
    [[ -n $ns ]] && ipargs=(-n "$ns")
    ip "${ipargs[@]}" -o link show 2>/dev/null |
        awk -F': ' '/link\/ether/ { n = $2; sub(/@.*/, "", n); print n }' |
        while read -r n; do [[ $vnets == *" $n "* ]] || printf '%s\n' "$n"; done
}

_vnet_netns()
{
    ip netns list 2>/dev/null | awk '{ print $1 }'
}

# COMPREPLY from a word list (blank-separated), for the current word
_vnet_reply()
{
    local IFS=$' \t\n'
    COMPREPLY=($(compgen -W "$1" -- "$cur"))
}

# The shared part: sets cur, prev, words, cword, netns, and the
# non-option words before the current one in `args`.  $1: the options
# that take a value; $2: those whose value cannot be guessed (a count,
# seconds): nothing is offered for it.  Returns 0 when it completed an
# option's value itself (or decided nothing fits).
_vnet_init()
{
    local valopts=$1 opaque=${2-$1}
    COMPREPLY=()
    if declare -F _init_completion >/dev/null 2>&1; then
        _init_completion -n = || return 0
    else
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD-1]}
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
        # without bash-completion, "--color=a" comes as "--color" "=" "a"
        if [[ $prev == = && $cword -ge 2 ]]; then
            prev=${words[cword-2]}
            cur="=$cur"
        elif [[ $cur == = ]]; then
            cur="="
        fi
    fi
    netns=
    args=()
    local i w skip=
    for ((i = 1; i < cword; i++)); do
        w=${words[i]}
        if [[ -n $skip ]]; then
            [[ $skip == netns ]] && netns=$w
            skip=
            continue
        fi
        case $w in
            -n | --netns) skip=netns ;;
            --netns=*) netns=${w#--netns=} ;;
            --) ;;
            -*)
                [[ " $valopts " == *" $w "* ]] && skip=value
                ;;
            *) args+=("$w") ;;
        esac
    done
    case $prev in
        -n | --netns)
            _vnet_reply "$(_vnet_netns)"
            return 0
            ;;
    esac
    if [[ $cur == --color=* || ( $prev == --color && $cur == =* ) ]]; then
        local v=${cur#*=}
        COMPREPLY=($(compgen -W "auto always never" -- "$v"))
        return 0
    fi
    if [[ $cur == --netns=* ]]; then
        local v=${cur#--netns=}
        COMPREPLY=($(compgen -W "$(_vnet_netns)" -- "$v"))
        return 0
    fi
    # an option that takes a value we cannot guess (a count, seconds...)
    [[ " $opaque " == *" $prev "* ]] && return 0
    return 1
}

_vnet_common_opts="-h --help -V --version --color= -n --netns"

_vnet_up()
{
    local cur prev words cword netns args
    _vnet_init "" && return
    if [[ $cur == -* && $cur != -arp && $cur != -promisc ]]; then
        _vnet_reply "-q --quiet -j --json $_vnet_common_opts -arp -promisc"
        return
    fi
    if ((${#args[@]} == 0)); then
        _vnet_reply "$(_vnet_devices "$netns")"
        return
    fi
    case $prev in
        hw) _vnet_reply "ether" ;;
        netmask | broadcast | mtu | txqueuelen | add | del | ether) ;;
        *) _vnet_reply "netmask broadcast mtu txqueuelen arp -arp promisc -promisc hw up down add del" ;;
    esac
}

_vnet_down()
{
    local cur prev words cword netns args
    _vnet_init "" && return
    if [[ $cur == -* ]]; then
        _vnet_reply "-q --quiet -j --json $_vnet_common_opts"
    elif ((${#args[@]} == 0)); then
        _vnet_reply "$(_vnet_devices "$netns")"
    fi
}

_vnetconfig()
{
    local cur prev words cword netns args
    _vnet_init "" && return
    if [[ $cur == -* ]]; then
        _vnet_reply "-a --all -s --short -d --drops -j --json $_vnet_common_opts"
    elif ((${#args[@]} == 0)); then
        _vnet_reply "$(_vnet_devices "$netns")"
    fi
}

_vnet_reset_stats()
{
    local cur prev words cword netns args
    _vnet_init "" && return
    if [[ $cur == -* ]]; then
        _vnet_reply "-a --all -q --quiet -j --json $_vnet_common_opts"
    else
        _vnet_reply "$(_vnet_devices "$netns")"
    fi
}

_vnet_insanely()
{
    local cur prev words cword netns args
    _vnet_init "-i --interface --seed --for" "--seed --for" && return
    case $prev in
        -i | --interface)
            _vnet_reply "$(_vnet_devices "$netns")"
            return
            ;;
    esac
    if [[ $cur == -* ]]; then
        _vnet_reply "-i --interface --tx --rx --both --for --seed -f --force -j --json $_vnet_common_opts"
        return
    fi
    case ${#args[@]} in
        0) _vnet_reply "none"$'\n'"$(_vnet_slaves "$netns")" ;;
        1) [[ ${args[0]} == none ]] || _vnet_reply "pass percent loss time gemodel" ;;
    esac
}

_vnet_echo()
{
    local cur prev words cword netns args
    _vnet_init "-c --count -i --interval -s --size -W --timeout -w --deadline" && return
    if [[ $cur == -* ]]; then
        _vnet_reply "-c --count -i --interval -s --size -W --timeout -w --deadline -f --flood -q --quiet -j --json $_vnet_common_opts"
    fi
}

_vnet_monitor()
{
    local cur prev words cword netns args
    _vnet_init "-c --count" && return
    if [[ $cur == -* ]]; then
        _vnet_reply "-c --count -j --json $_vnet_common_opts"
    else
        _vnet_reply "$(_vnet_devices "$netns")"
    fi
}

# vnet-module install|uninstall|status [-k RELEASE]: no -n/--netns (its -n
# is --dry-run); kernel releases from /lib/modules
_vnet_module()
{
    local cur prev words cword netns args
    COMPREPLY=()
    if declare -F _init_completion >/dev/null 2>&1; then
        _init_completion -n = || return
    else
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD-1]}
    fi
    case $prev in
        -k | --kernel)
            _vnet_reply "$(ls /lib/modules 2>/dev/null)"
            return
            ;;
    esac
    if [[ $cur == -* ]]; then
        _vnet_reply "-k --kernel -n --dry-run -f --force -j --json -h --help -V --version --color="
        return
    fi
    local w
    for w in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
        [[ $w == install || $w == uninstall || $w == status ]] && return
    done
    _vnet_reply "install uninstall status"
}

complete -F _vnet_up vnet-up
complete -F _vnet_down vnet-down
complete -F _vnetconfig vnetconfig
complete -F _vnet_reset_stats vnet-reset-stats
complete -F _vnet_insanely insanely
complete -F _vnet_echo vnet-echo
complete -F _vnet_monitor vnet-monitor
complete -F _vnet_module vnet-module
