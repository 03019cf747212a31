"""Every parameter of the paper and of this book, as frozen, validated dataclasses.

Three records, one per concern:

* :class:`NetworkConfig` -- the network and the digital twin (paper Table 1, Secs. III, VI-B),
* :class:`DQNConfig` -- the shared deep Q-network (paper Table 2, Sec. VI-B, VI-C),
* :class:`TrainingConfig` -- the continual DT/physical training loop (Table 2, Algorithm 2, Sec. VI-D/F).

Each field carries a :class:`Spec` in its ``metadata``: unit, symbol, where the value comes from
(a paper table/section, or ``assumption`` with the reference it rests on), a one-line description
and the allowed range. The book's *Assumptions* page is rendered from that metadata by
:func:`multirat.report.parameter_table`, so the page and the code cannot drift apart.

Invalid values raise ``ValueError`` and values of the wrong type ``TypeError``, naming the field,
the value and the allowed range with its reason (cross-field rules name both fields). Build
variants with :func:`dataclasses.replace`, which re-runs the validation::

    >>> import dataclasses
    >>> from multirat.config import NetworkConfig
    >>> dense = dataclasses.replace(NetworkConfig(), n_aps=6, n_devices=100)

Run profiles (``smoke``, ``quick``, ``paper``) scale the compute budget of an experiment (:func:`get_profile`).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from multirat import channel, units
from multirat._spec import Spec, Validated, param

__all__ = [
    "Spec",
    "NetworkConfig",
    "DQNConfig",
    "TrainingConfig",
    "Profile",
    "PROFILES",
    "get_profile",
    "STATE_DIM",
    "DOPPLER_MAX_HZ",
    "SLOT_MAX_S",
    "RRB_BANDWIDTH_MAX_HZ",
    "DOPPLER_SLOT_MAX",
    "EPISODE_DISPLACEMENT_MAX_M",
]

#: Number of features in an agent's local state, Eq. (21): g, sinr(t-1), R(t-1), P(t-1), m(t-1), c(t-1).
STATE_DIM = 6


def _is_square_qam_or_bpsk(m: int) -> bool:
    """Orders Eq. (17)/Table 3 covers: BPSK (M = 2) and square M-QAM (M = 4^k)."""
    if m == 2:
        return True
    k = round(math.log(m, 4)) if m > 0 else -1
    return k >= 1 and 4**k == m


#: Largest maximum Doppler frequency, Hz: f_d = v f_c / c is 46.3 kHz at 500 km/h (NR's high-speed
#: train, TR 38.913) and 100 GHz (the top of TR 38.901), rounded up.
DOPPLER_MAX_HZ = 5e4
#: Longest time slot, s: above the longest UMi coherence time, 0.423 / f_d = 0.30 s for a pedestrian
#: UT (3 km/h) at 0.5 GHz (the bottom of TR 38.901).
SLOT_MAX_S = 1.0
#: Widest RRB, Hz: an NR PRB of 12 subcarriers at the largest subcarrier spacing, 960 kHz (TS 38.211, mu = 6).
RRB_BANDWIDTH_MAX_HZ = 12 * 960e3
#: Largest f_d T_s: T_s within the coherence time T_c = 0.423 / f_d (Rappaport's rule, channel.COHERENCE_RULES).
DOPPLER_SLOT_MAX = channel.COHERENCE_RULES["geometric_mean"]
#: Largest displacement of a device within one episode, m: the UMi LoS shadowing decorrelation distance.
EPISODE_DISPLACEMENT_MAX_M = channel.UMI_SHADOWING_DECORRELATION_M["los"]


@dataclass(frozen=True)
class NetworkConfig(Validated):
    """The multi-RAT IoT network and its digital twin (paper Secs. III, VI-B, Table 1).

    Raises ``TypeError`` for a field of the wrong type and ``ValueError`` for a value outside its
    range or a broken cross-field rule; the message names the field, the value and what is allowed.

    ``aclr_db`` and ``acs_db`` hold one value per adjacent-RRB offset (``aci_neighbours`` of them);
    a single number, e.g. ``aclr_db=float("inf")`` for an ideal transmitter, stands for that value
    at every offset and is stored as the tuple: ``NetworkConfig(aclr_db=45.0) ==
    NetworkConfig(aclr_db=(45.0, 45.0))``, with the same configuration hash.
    """

    # --- topology (Sec. III-A, VI-B) -----------------------------------------------------------
    n_aps: int = param(4, unit="APs", symbol="K", source="Sec. VI-B (default scenario, Fig. 4)",
                       doc="Number of RAT access points.", lo=1, hi=64, integer=True,
                       why="the paper's largest K is 6 (Fig. 7b-c); 64 (an 8 x 8 grid) bounds the [B, K, N] arrays")
    n_devices: int = param(20, unit="devices", symbol="N", source="Sec. VI-B (default scenario, Fig. 4)",
                           doc="Number of IoT devices (links, agents).", lo=1, hi=10_000, integer=True,
                           why="the paper's largest N is 100 (Table 4); 10 000 bounds the [B, K, N] arrays")
    ap_spacing_m: float = param(600.0, unit="m", symbol="", source="Sec. III-A-1",
                                doc="Distance between neighbouring RAT APs on the grid.", lo=20.0, lo_open=True,
                                relation="and >= coverage_radius_m + exclusion_radius_m",
                                why="a device dropped up to R from its AP then stays >= r from every other AP: no "
                                    "device inside any exclusion disk, every AP-device distance >= 10 m (TR 38.901 "
                                    "UMi); R + r > 2 x 10 m")
    coverage_radius_m: float = param(300.0, unit="m", symbol="R", source="Table 1",
                                     doc="RAT AP coverage radius; devices are dropped uniformly inside it.",
                                     lo=channel.UMI_D2D_MIN_M, lo_open=True, hi=channel.UMI_D2D_MAX_M,
                                     why="every serving link inside the UMi path loss's d2D range [10 m, 5 km] "
                                         "(TR 38.901 Table 7.4.1-1); R > r >= 10 m")
    exclusion_radius_m: float = param(30.0, unit="m", symbol="r", source="Table 1",
                                      doc="Radius around each AP with no devices.", lo=channel.UMI_D2D_MIN_M,
                                      hi=channel.UMI_D2D_MAX_M, hi_open=True, relation="and < coverage_radius_m",
                                      why="TR 38.901 UMi needs d2D >= 10 m")
    h_ap_m: float = param(10.0, unit="m", symbol="H_k", source="Table 1",
                          doc="RAT AP antenna height (3GPP UMi: 10 m).", lo=1.0, hi=150.0, lo_open=True,
                          why="the breakpoint of Eq. (9) needs h - 1 m > 0; 150 m is TR 38.901's tallest BS (RMa); "
                              "UMi itself fixes 10 m (channel functions with strict=True)")
    h_ut_m: float = param(1.5, unit="m", symbol="H_n", source="Table 1",
                          doc="IoT device antenna height (3GPP UMi).", lo=channel.UMI_H_UT_MIN_M,
                          hi=channel.UMI_H_UT_MAX_M, why="TR 38.901 Table 7.4.1-1, UMi")

    # --- propagation (Sec. III-B-1, Table 1) ---------------------------------------------------
    fc_hz: float = param(6.5e9, unit="Hz", symbol="f_c", source="Table 1",
                         doc="Carrier frequency.", lo=channel.UMI_FC_MIN_HZ, hi=channel.UMI_FC_MAX_HZ,
                         why="TR 38.901 Sec. 7.4.1: 0.5-100 GHz")
    speed_of_light_m_s: float = param(3e8, unit="m/s", symbol="c", source="Table 1",
                                      doc="Speed of light used in the breakpoint distance, Eq. (9).",
                                      lo=2.9e8, hi=3.0e8,
                                      why="c = 2.998e8 m/s in vacuum, which the paper rounds to 3e8")
    shadowing_std_db: float = param(4.0, unit="dB", symbol="\\sigma_s", assumption=True,
                                    source="assumption: TR 38.901 Table 7.4.1-1 UMi LoS (4 dB); Sec. VI-I uses 4/6/8 dB",
                                    doc="Standard deviation of log-normal shadowing in beta = 10^(-(PL+sigma_s)/10).",
                                    lo=0.0, hi=20.0,
                                    why="0 = no shadowing; over twice the largest shadow-fading std of TR 38.901 "
                                        "Table 7.4.1-1 (about 8 dB)")
    doppler_hz: float = param(10.0, unit="Hz", symbol="f_d", assumption=True,
                              source="assumption: Nasir & Guo 2019 (10 Hz); about 0.46 m/s at 6.5 GHz",
                              doc="Maximum Doppler frequency of the Jakes model, rho = J0(2 pi f_d T_s), Eq. (3).",
                              lo=0.0, hi=DOPPLER_MAX_HZ, relation=f"and doppler_hz x slot_s <= {DOPPLER_SLOT_MAX:g}",
                              why="f_d = v f_c / c <= 46.3 kHz at 500 km/h and 100 GHz; f_d T_s <= 0.423 keeps T_s "
                                  "within the coherence time 0.423/f_d (Table 1 calls T_s the coherence time)")
    slot_s: float = param(0.020, unit="s", symbol="T_s", source="Table 1",
                          doc="Time-slot duration (channel coherence time).", lo=0.0, lo_open=True, hi=SLOT_MAX_S,
                          why="one scheduling decision on a block-fading channel; the longest UMi coherence time is "
                              "0.423/f_d = 0.30 s (3 km/h at 0.5 GHz)")

    # --- radio resources and receiver (Sec. II-A, III-B) ---------------------------------------
    n_rrbs: int = param(100, unit="RRBs", symbol="R", assumption=True,
                        source="assumption: LTE 20 MHz carrier = 100 PRBs (TS 36.101 Table 5.6-1)",
                        doc="Number of radio resource blocks the PF scheduler assigns per TS.",
                        lo=1, hi=10_000, integer=True,
                        why="an NR carrier has at most 275 PRBs (TS 38.101-1); 10 000 bounds the RRB grid of Eq. (10)")
    rrb_bandwidth_hz: float = param(180e3, unit="Hz", symbol="B", assumption=True,
                                    source="assumption: LTE PRB, 12 x 15 kHz (TS 36.211)",
                                    doc="Bandwidth of one RRB; sets the noise power sigma^2.", lo=1.0,
                                    hi=RRB_BANDWIDTH_MAX_HZ,
                                    why="one RRB carries B T_s >= N_p >= 1 symbols per TS of at most 1 s; the widest "
                                        "NR PRB is 12 x 960 kHz (TS 38.211, mu = 6)")
    noise_psd_dbm_hz: float = param(-174.0, unit="dBm/Hz", symbol="N_0", source="Table 1",
                                    doc="AWGN power spectral density.", lo=-200.0, hi=-100.0,
                                    why="-174 dBm/Hz is kT at 290 K; -200 is kT at 0.7 K, -100 a floor 74 dB above "
                                        "thermal")
    noise_figure_db: float = param(9.0, unit="dB", symbol="NF", assumption=True,
                                   source="assumption: typical UE noise figure (TS 36.101 reference sensitivity)",
                                   doc="Receiver noise figure added to the thermal noise.", lo=0.0, hi=30.0,
                                   why="NF >= 0 dB by definition (0 = a noiseless receiver); 30 dB is far above UE "
                                       "receivers (TS 36.101 assumes 9 dB)")

    # --- transmit power (C1, Eq. 25) -----------------------------------------------------------
    p_max_dbm: float = param(30.0, unit="dBm", symbol="P_{max}", source="Table 1",
                             doc="Maximum transmit power per link (constraint C1).", lo=-30.0, hi=60.0,
                             relation="and > p_min_dbm", why="1 uW to 1 kW covers IoT devices and base stations")
    p_min_dbm: float = param(5.0, unit="dBm", symbol="P_{min}", source="Table 1",
                             doc="Minimum transmit power per link (constraint C1); also P_c of the PF metric.",
                             lo=-30.0, hi=60.0, relation="and < p_max_dbm (and < P_max/(|P|-1) with 'eq25')",
                             why="1 uW to 1 kW covers IoT devices and base stations")
    n_power_levels: int = param(4, unit="levels", symbol="|\\mathcal{P}|", source="Sec. VI-B",
                                doc="Number of discrete transmit power levels.", lo=2, hi=64, integer=True,
                                why="at least 2 gives a power choice; 64 keeps |A_n| = |M||P||C| a small output layer")
    power_grid: str = param("eq25", unit="", symbol="\\mathcal{P}", source="Eq. (25) as printed",
                            doc="Power levels: 'eq25' = {P_min, P_max/(|P|-1), 2P_max/(|P|-1), ..., P_max} (W); "
                                "'linear' = uniform in W from P_min; 'db' = uniform in dBm.",
                            choices=("eq25", "linear", "db"))

    # --- modulation and coding (Sec. III-C-2, VI-B, Table 3) -----------------------------------
    modulation_orders: tuple = param((2, 4, 16, 64), unit="symbols", symbol="\\mathcal{M}",
                                     source="Sec. VI-B, Table 3 (BPSK, QPSK, 16QAM, 64QAM)",
                                     doc="Modulation orders M (BPSK or square QAM).",
                                     lo=2, hi=4096, integer=True, each=True, increasing=True)
    code_rates: tuple = param((0.5, 0.75, 5 / 6), unit="", symbol="\\mathcal{C}", source="Sec. VI-B",
                              doc="Convolutional code rates c.", lo=0.0, hi=1.0, lo_open=True, each=True,
                              increasing=True, why="a code rate: information bits per coded bit (1 = uncoded)")
    d_free: tuple = param((10, 5, 4), unit="", symbol="d_{free,H}", assumption=True,
                          source="assumption: K=7 (133,171) code, punctured 3/4 and 5/6 (IEEE 802.11a; "
                                 "Haccoun & Begin 1989)",
                          doc="Hamming free distance per code rate; coding gain G = c d_free (Eq. 17).",
                          lo=1, hi=100, integer=True, each=True, relation="one per code rate",
                          why="a Hamming distance is an integer >= 1; the K = 7 code has 10")
    n_symbols: int = param(1000, unit="symbols/packet", symbol="N_p", source="Table 1",
                           doc="Symbols per packet (frame) in the PER (Eq. 16) and the rate (Eq. 15).",
                           lo=1, hi=int(RRB_BANDWIDTH_MAX_HZ * SLOT_MAX_S), integer=True,
                           relation="and <= rrb_bandwidth_hz x slot_s",
                           why="a packet is sent on one RRB in one TS, which carries at most B T_s symbols (Nyquist)")

    ser_model: str = param("eq17", unit="", symbol="f_{m,c}", source="Eq. (17) / Table 3 as printed",
                           doc="SER used in the throughput: 'eq17' as printed, or 'exact' (square-QAM/BPSK SER at "
                               "the per-symbol SINR, chapter 3).",
                           choices=("eq17", "exact"))
    path_loss_model: str = param("eq4", unit="", symbol="PL", source="Eq. (4) as printed",
                                 doc="Large-scale path loss: 'eq4' (LoS-probability-weighted dB, the paper), "
                                     "'linear_average' (mean linear gain) or 'random_los' (LoS state drawn per "
                                     "link, TR 38.901; chapter 1).",
                                 choices=("eq4", "linear_average", "random_los"))

    # --- impairments (Sec. III-B-2/3, Table 1) -------------------------------------------------
    sigma_rt: float = param(0.05, unit="", symbol="\\sigma_{rt}", source="Table 1, Sec. VI-B ([40])",
                            doc="HWI level sqrt(sigma_t^2 + sigma_r^2) (EVM of the transceivers).", lo=0.0, hi=1.0,
                            why="an EVM: 0 = ideal transceivers, 1 = distortion as strong as the signal; the paper "
                                "uses 0.05-0.2 (Fig. 7c)")
    phi: float = param(0.4, unit="", symbol="\\phi", source="Table 1",
                       doc="Physical-network deviation of ACI and HWI power, factor (1 + phi) in Eqs. (11)-(12).",
                       lo=-1.0, lo_open=True, hi=100.0,
                       why="the relative deviation of the physical ACI and HWI powers from the twin's (Sec. III-B-3): "
                           "the physical network has both, so 1 + phi > 0 (phi = -1 would remove them); phi < 0 = "
                           "a twin that overestimates them; 100 = 20 dB; the paper uses 0-0.9 (Sec. VI-I)")
    phi_spread: float = param(0.0, unit="", symbol="\\Delta\\phi",
                              source="Eq. (11)-(12): one phi for every link (0); a spread is beyond the paper (chapter 10)",
                              doc="Per-link physical deviation drawn at every drop (episode), unknown to the twin: "
                                  "phi_n ~ U(phi - phi_spread, phi + phi_spread), independently per link, from the "
                                  "network's generator after the drop's other draws (only when phi_spread > 0, so "
                                  "that 0 leaves every random stream as it was).",
                              lo=0.0, hi=100.0,
                              relation="phi - phi_spread > -1", added=True,
                              why="0 = the paper's single phi; the spread keeps 1 + phi_n > 0 (relation)")
    block_episodes: int = param(0, unit="episodes", symbol="Z_m", source="Sec. VI-I (Z_m in {10, 30, 50}); 0 = a "
                                "stationary network, as everywhere but chapter 13",
                                doc="Non-stationary network: every Z_m episodes each link re-draws its shadowing "
                                    "(a realization held for the block, from N(0, s_n^2) with s_n drawn from "
                                    "block_shadowing_std_db) and its phi_n (from block_phi); "
                                    "module multirat.nonstationary, chapter 13.",
                                lo=0, hi=10**6, integer=True, added=True,
                                why="0 = stationary (the drop's own shadowing and the single phi)")
    block_shadowing_std_db: tuple = param((4.0, 6.0, 8.0), unit="dB", symbol="s_n",
                                          source="Sec. VI-I (4, 6 or 8 dB)",
                                          doc="Shadowing standard deviations a link draws from (uniformly) at a "
                                              "block start (block_episodes > 0 only).",
                                          lo=0.0, hi=40.0, each=True, added=True,
                                          why="0 = no shadowing; 40 dB is far beyond any measured shadow fading")
    block_phi: tuple = param((0.0, 0.4, 0.6, 0.9), unit="", symbol="\\phi_n", source="Sec. VI-I",
                             doc="Physical deviations a link draws from (uniformly) at a block start "
                                 "(block_episodes > 0 only); they replace phi.",
                             lo=-1.0, lo_open=True, hi=100.0, each=True, added=True,
                             why="as phi: 1 + phi_n > 0")
    aci_neighbours: int = param(2, unit="RRBs", symbol="L/2", source="Sec. III-B-2 (RRB r+-1, r+-2)",
                                doc="Adjacent RRBs on each side that leak into a victim RRB.",
                                lo=0, hi=8, integer=True, why="0 = no ACI; the paper has 2 (r+-1, r+-2)")
    aclr_db: tuple = param((45.0, 45.0), unit="dB", symbol="ACLR", assumption=True,
                           source="assumption: BS ACLR, TS 36.104 Sec. 6.6.2; ECC Report 131 Table 10",
                           doc="Transmitter adjacent-channel leakage ratio for the 1st, 2nd, ... adjacent RRB "
                               "(one per aci_neighbours; empty when aci_neighbours = 0, no ACI). A single number "
                               "(e.g. inf, an ideal transmitter) means that value at every offset and is stored "
                               "as the tuple.",
                           lo=0.0, hi=100.0, each=True, allow_empty=True, posinf=True, broadcast="aci_neighbours",
                           relation="one per adjacent RRB (aci_neighbours); a number = the same at every offset",
                           why="0 dB = no attenuation; inf = an ideal transmitter (then ACIR = ACS, Eq. 10)")
    acs_db: tuple = param((33.0, 45.0), unit="dB", symbol="ACS", assumption=True,
                          source="assumption: UE ACS, TS 36.101 Sec. 7.5; ECC Report 131 Table 10",
                          doc="Receiver adjacent-channel selectivity for the 1st, 2nd, ... adjacent RRB "
                              "(one per aci_neighbours; empty when aci_neighbours = 0, no ACI). A single number "
                              "(e.g. inf, an ideal receiver filter) means that value at every offset and is "
                              "stored as the tuple.",
                          lo=0.0, hi=100.0, each=True, allow_empty=True, posinf=True, broadcast="aci_neighbours",
                          relation="one per adjacent RRB (aci_neighbours); a number = the same at every offset",
                          why="0 dB = no attenuation; inf = an ideal receiver filter (then ACIR = ACLR, Eq. 10)")
    hwi_basis: str = param("ap_total", unit="", symbol="P_{total,k}", source="Eq. (14) as printed (Sec. III-B-2)",
                           doc="Power the HWI distortion scales with: 'ap_total' (the serving AP's total power, the "
                               "paper), 'ap_mean' (per occupied RRB) or 'own' (the link's own power; chapter 4).",
                           choices=("ap_total", "ap_mean", "own"))
    aci_source: str = param("other_ap", unit="", symbol="", assumption=True,
                            source="assumption: Sec. II-A ('devices associated with different RAT APs can be "
                                   "scheduled to adjacent RRBs')",
                            doc="Who leaks into a victim: 'other_ap' = links on adjacent RRBs served by another AP; "
                                "'any' = every link on an adjacent RRB.",
                            choices=("other_ap", "any"))

    # --- scheduling and episodes (Sec. III-C-3, Alg. 1) ----------------------------------------
    pf_alpha: float = param(0.1, unit="", symbol="\\alpha_r", source="Table 1",
                            doc="EMA smoothing factor of the PF average rate, Eq. (19).", lo=0.0, hi=1.0,
                            why="the weight of an exponential moving average")
    rrb_placement: str = param("contiguous", unit="", symbol="", assumption=True,
                               source="assumption: Alg. 1 literally; 'spread' follows Sec. VI-G's remark",
                               doc="How the PF-selected devices are placed on RRBs: 'contiguous' in PF order "
                                   "from RRB 0, or 'spread' evenly over the R RRBs.",
                               choices=("contiguous", "spread"))
    slots_per_episode: int = param(50, unit="TS", symbol="T", assumption=True,
                                   source="assumption: not given in the paper",
                                   doc="Time slots per episode; a new device drop starts every episode.",
                                   lo=1, hi=1_000_000, integer=True,
                                   relation=f"and slots_per_episode x slot_s x doppler_hz x c / fc_hz <= "
                                            f"{EPISODE_DISPLACEMENT_MAX_M:g} m",
                                   why="the drop and its shadowing stay frozen for an episode, so a device moving at "
                                       "v = f_d c / f_c may travel at most the shadowing decorrelation distance, 10 m "
                                       "(TR 38.901 Table 7.5-6, UMi LoS); 10^6 TS bound a run")

    def _check_relations(self) -> None:
        if self.p_min_dbm >= self.p_max_dbm:
            raise ValueError(
                f"p_min_dbm={self.p_min_dbm!r} must be < p_max_dbm={self.p_max_dbm!r} (constraint C1)")
        if self.power_grid == "eq25":
            step_w = units.dbm_to_watt(self.p_max_dbm) / (self.n_power_levels - 1)
            if units.dbm_to_watt(self.p_min_dbm) >= step_w:
                raise ValueError(
                    f"p_min_dbm={self.p_min_dbm!r} is invalid with power_grid='eq25': P_min must be below "
                    f"P_max/(|P|-1) = {units.watt_to_dbm(step_w):.2f} dBm or the grid of Eq. (25) is not increasing")
        if self.phi - self.phi_spread <= -1.0:
            raise ValueError(f"phi_spread={self.phi_spread!r} is too wide for phi={self.phi!r}: phi - phi_spread must "
                             "be > -1, so that every link's physical ACI and HWI factor 1 + phi_n stays positive")
        if self.block_episodes > 0 and self.phi_spread > 0:
            raise ValueError(f"block_episodes={self.block_episodes!r} and phi_spread={self.phi_spread!r} exclude each "
                             "other: a non-stationary network draws each link's phi_n from block_phi at a block start")
        if self.exclusion_radius_m >= self.coverage_radius_m:
            raise ValueError(f"exclusion_radius_m={self.exclusion_radius_m!r} must be < "
                             f"coverage_radius_m={self.coverage_radius_m!r}")
        if self.ap_spacing_m < self.coverage_radius_m + self.exclusion_radius_m:
            raise ValueError(f"ap_spacing_m={self.ap_spacing_m!r} must be >= coverage_radius_m + exclusion_radius_m = "
                             f"{self.coverage_radius_m + self.exclusion_radius_m:g} m: a device dropped up to R from "
                             "its AP could otherwise fall inside another AP's exclusion disk")
        if self.doppler_hz * self.slot_s > DOPPLER_SLOT_MAX:
            raise ValueError(f"doppler_hz={self.doppler_hz!r} with slot_s={self.slot_s!r} is invalid: f_d T_s = "
                             f"{self.doppler_hz * self.slot_s:.4g} must be <= {DOPPLER_SLOT_MAX:g} (T_s within the "
                             f"coherence time 0.423/f_d)")
        if self.n_symbols > self.rrb_bandwidth_hz * self.slot_s:
            raise ValueError(f"n_symbols={self.n_symbols!r} must be <= rrb_bandwidth_hz x slot_s = "
                             f"{self.rrb_bandwidth_hz * self.slot_s:.6g} symbols: one RRB carries at most B T_s "
                             "symbols per TS")
        displacement = self.slots_per_episode * self.slot_s * self.doppler_hz * self.speed_of_light_m_s / self.fc_hz
        if displacement > EPISODE_DISPLACEMENT_MAX_M:
            raise ValueError(f"slots_per_episode={self.slots_per_episode!r} is too long for doppler_hz="
                             f"{self.doppler_hz!r}: a device moves {displacement:.4g} m in an episode (T T_s f_d c/f_c), "
                             f"more than the {EPISODE_DISPLACEMENT_MAX_M:g} m shadowing decorrelation distance over "
                             "which its frozen drop and shadowing hold")
        for m in self.modulation_orders:
            if not _is_square_qam_or_bpsk(int(m)):
                raise ValueError(f"modulation_orders={self.modulation_orders!r} is invalid: {m!r} is not a "
                                 "known modulation order; allowed 2 (BPSK) or 4, 16, 64, 256, ... (square QAM)")
        if len(self.d_free) != len(self.code_rates):
            raise ValueError(f"d_free={self.d_free!r} must have one entry per code rate "
                             f"(code_rates has {len(self.code_rates)})")
        for name in ("aclr_db", "acs_db"):
            if len(getattr(self, name)) != self.aci_neighbours:
                raise ValueError(f"{name}={getattr(self, name)!r} must have aci_neighbours={self.aci_neighbours} "
                                 "entries (1st, 2nd, ... adjacent RRB), or be one number for every offset")

    # --- derived quantities (computed, never typed in) -----------------------------------------
    @property
    def n_actions(self) -> int:
        """|A_n| = |M| x |P| x |C| (Sec. V-A-1); 48 for the paper's defaults."""
        return len(self.modulation_orders) * self.n_power_levels * len(self.code_rates)

    @property
    def noise_power_dbm(self) -> float:
        """sigma^2 over one RRB: N_0 + 10 log10(B) + NF, in dBm."""
        return float(units.noise_power_dbm(self.rrb_bandwidth_hz, self.noise_psd_dbm_hz, self.noise_figure_db))

    @property
    def acir_db(self) -> tuple:
        """ACI ratio A_l per adjacent RRB (Eq. 10): 1/ACIR = 1/ACLR + 1/ACS, in dB."""
        return tuple(float(units.combine_attenuations_db(a, s)) for a, s in zip(self.aclr_db, self.acs_db))

    @property
    def peak_rate_bits(self) -> float:
        """Largest r_{m,c} N_p = c log2(M) N_p over the MCS set: Eq. (15) at zero PER, bits/frame."""
        return max(c * math.log2(m) for m in self.modulation_orders for c in self.code_rates) * self.n_symbols

    @property
    def carrier_bandwidth_hz(self) -> float:
        """Total bandwidth of the R RRBs, in Hz."""
        return self.n_rrbs * self.rrb_bandwidth_hz


@dataclass(frozen=True)
class DQNConfig(Validated):
    """The shared deep Q-network (paper Sec. V-B, VI-B, Table 2).

    Raises ``TypeError``/``ValueError`` as :class:`NetworkConfig` does.
    """

    hidden_sizes: tuple = param((64, 128), unit="neurons", symbol="N_1, N_2", source="Sec. VI-B",
                                doc="Width of the two hidden layers (input 6, output |A_n|).",
                                lo=1, hi=4096, integer=True, each=True)
    activation: str = param("tanh", unit="", symbol="", source="Sec. VI-B",
                            doc="Hidden-layer activation.", choices=("tanh", "relu"))
    agent: str = param("shared", unit="", symbol="", source="Sec. V-B (shared: the proposed MADRL) and VI-E "
                       "(centralized: the SADRL benchmark); factored: ours",
                       doc="'shared': one DQN acting on each link's local state (CTDE); 'centralized': one agent "
                           "that sees every link's state and picks the joint action over |A_n|^N "
                           "(multirat.agents.sadrl, chapter 9). Assumed for 'centralized', where the paper gives "
                           "nothing: the same hidden layers, replay_size counted in its experiences (one per "
                           "TS), epsilon-greedy over joint actions. 'factored' (ours, beyond the paper): the "
                           "centralized agent's state with one head of |A_n| Q-values per link (action branching, "
                           "Tavakoli et al., AAAI 2018), each head's own TD target, epsilon-greedy per link.",
                       choices=("shared", "centralized", "factored"), added=True)
    learning_rate: float = param(5e-3, unit="", symbol="\\alpha(0)", source="Table 2, Sec. VI-B",
                                 doc="Initial RMSprop learning rate.", lo=0.0, hi=1.0, lo_open=True)
    lr_decay: float = param(1e-3, unit="", symbol="\\lambda", source="Sec. VI-B",
                            doc="Learning-rate decay: alpha(t) = (1 - lambda) alpha(t-1).", lo=0.0, hi=1.0,
                            hi_open=True)
    discount: float = param(0.9, unit="", symbol="\\gamma", source="Sec. VI-C (chosen from Fig. 5a)",
                            doc="Discount factor of the TD target (Eq. 37).", lo=0.0, hi=1.0, hi_open=True)
    replay_size: int = param(5000, unit="transitions", symbol="|D|", source="Table 2",
                             doc="Replay-memory capacity (FIFO).", lo=1, integer=True)
    batch_size: int = param(64, unit="transitions", symbol="D_b", source="Table 2",
                            doc="Mini-batch size per gradient step.", lo=1, integer=True)
    target_update_steps: int = param(500, unit="gradient steps", symbol="T_{step}", source="Table 2",
                                     doc="Copy the trained network into the target network every T_step steps.",
                                     lo=1, integer=True)
    epsilon_start: float = param(0.7, unit="", symbol="\\epsilon(0)", source="Sec. VI-B",
                                 doc="Initial exploration probability.", lo=0.0, hi=1.0)
    epsilon_min: float = param(1e-2, unit="", symbol="\\epsilon_{min}", source="Sec. VI-B",
                               doc="Floor of the exploration probability.", lo=0.0, hi=1.0)
    epsilon_decay: float = param(1e-3, unit="", symbol="\\lambda_\\epsilon", source="Sec. VI-B",
                                 doc="epsilon(t) = max(epsilon_min, (1 - lambda_eps) epsilon(t-1)).",
                                 lo=0.0, hi=1.0, hi_open=True)
    decay_unit: str = param("episode", unit="", symbol="t", assumption=True,
                            source="assumption: the paper does not say what t counts in the epsilon and "
                                   "learning-rate decays",
                            doc="What one decay step of epsilon and alpha is: one 'episode' or one gradient 'step'.",
                            choices=("episode", "step"))
    optimizer: str = param("rmsprop", unit="", symbol="", source="Sec. VI-B",
                           doc="Optimizer of the trained network.", choices=("rmsprop", "adam"))
    rmsprop_smoothing: float = param(0.99, unit="", symbol="", assumption=True,
                                     source="assumption: PyTorch RMSprop default (not given in the paper)",
                                     doc="Smoothing constant of RMSprop's squared-gradient average.",
                                     lo=0.0, hi=1.0, lo_open=True, hi_open=True)
    loss: str = param("mse", unit="", symbol="\\mathcal{L}", source="Eq. (37)",
                      doc="TD loss: 'mse' = 1/2 squared error as in Eq. (37); 'huber' as an alternative.",
                      choices=("mse", "huber"))
    td_target: str = param("max", unit="", symbol="y", source="Eq. (37); 'double' is ours (chapter 14)",
                           doc="TD target: 'max' as in Eq. (37); 'double' = Double DQN (van Hasselt et al., 2016): "
                               "the online network picks a', the target network values it (shared agent only).",
                           choices=("max", "double"), added=True)
    reward_scale: float = param(1.0, unit="1/(kbit/frame)", symbol="", source="Eq. (37): 1; others are ours (ch. 14)",
                                doc="Factor on the reward in the TD target (Q-values in a scaled unit); recorded "
                                    "rewards and evaluations stay in kbit/frame.", lo=0.0, lo_open=True, hi=1e6,
                                added=True, why="a positive factor keeps the order of the rewards")

    def _check_relations(self) -> None:
        if self.td_target == "double" and self.agent != "shared":
            raise ValueError(f"td_target='double' is implemented for agent='shared' only; got agent={self.agent!r}")
        if len(self.hidden_sizes) != 2:
            raise ValueError(f"hidden_sizes={self.hidden_sizes!r} must have 2 entries (the paper's two hidden layers)")
        if self.epsilon_min > self.epsilon_start:
            raise ValueError(f"epsilon_min={self.epsilon_min!r} must be <= epsilon_start={self.epsilon_start!r}")
        if self.batch_size > self.replay_size:
            raise ValueError(f"batch_size={self.batch_size!r} must be <= replay_size={self.replay_size!r}")


@dataclass(frozen=True)
class TrainingConfig(Validated):
    """The continual DT/physical training loop (paper Algorithm 2, Sec. VI-D, VI-F, Table 2).

    Raises ``TypeError``/``ValueError`` as :class:`NetworkConfig` does.
    """

    episodes: int = param(2000, unit="episodes", symbol="Z", source="Table 2",
                          doc="Training episodes.", lo=1, integer=True)
    z_k: int = param(100, unit="episodes", symbol="Z_k", source="Sec. VI-D, VI-F",
                     doc="Interact with the physical network every Z_k episodes (Alg. 2, line 18).",
                     lo=1, integer=True, relation="and <= episodes with scenario='proposed'",
                     why="a 'proposed' run must meet the physical network at least once: episode i is physical "
                         "when i mod Z_k = 0 (Alg. 2, line 18); the paper sweeps Z_k = 10-200 with Z = 2000")
    scenario: str = param("proposed", unit="", symbol="", source="Sec. VI-D-1",
                          doc="'physical_only' (Scenario 1), 'proposed' (Scenario 2: DT + physical every Z_k) "
                              "or 'dt_only' (Scenario 3).",
                          choices=("physical_only", "proposed", "dt_only"))
    updates_per_slot: int = param(1, unit="gradient steps", symbol="", source="Alg. 2, lines 25-26",
                                  doc="Gradient steps per time slot.", lo=1, integer=True)
    info_per_task: int = param(1, unit="exchanges", symbol="T_D", assumption=True,
                               source="assumption: Sec. V-C-2 names T_D without giving a value",
                               doc="Information exchanged per device and task in the signaling-overhead count "
                                   "(Eq. 38; chapter 7).",
                               lo=1, integer=True)
    block_learning: str = param("continual", unit="", symbol="", source="Sec. VI-I, Remark 2: continual; "
                                "from_scratch is the 'conventional periodic retraining' Remark 2 names (chapter 13)",
                                doc="In a non-stationary network (NetworkConfig.block_episodes > 0): 'continual' "
                                    "keeps the weights and the replay memory across blocks (Remark 2); "
                                    "'from_scratch' re-initializes the run's weights, target, optimizer state and "
                                    "replay memory at every block start (epsilon and alpha keep their schedules).",
                                choices=("continual", "from_scratch"), added=True)
    eval_drops: int = param(50, unit="drops", symbol="", assumption=True,
                            source="assumption: not given in the paper",
                            doc="Independent device drops (episodes) a trained policy is evaluated on.",
                            lo=1, integer=True)

    def _check_relations(self) -> None:
        if self.scenario == "proposed" and self.z_k > self.episodes:
            raise ValueError(f"z_k={self.z_k!r} must be <= episodes={self.episodes!r} with scenario='proposed': "
                             "otherwise no episode i <= Z has i mod Z_k = 0 and the run never meets the physical "
                             "network (Alg. 2, line 18); use scenario='dt_only' for that")


# Run profiles live in multirat.profiles (re-exported here, where they always were)
from multirat.profiles import PROFILES, Profile, get_profile  # noqa: E402
