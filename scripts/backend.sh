# Sourced by setup.sh, scripts/test.sh and scripts/gpu_check.sh: the Kokkos backend's build
# directory and CMake configuration.
#   KAA_BACKEND      openmp (default) -> build/, or cuda -> build-cuda/ (nvcc_wrapper as compiler)
#   KAA_BUILD_DIR    another build directory
#   KAA_BUILD_TYPE   CMake build type (Release; CI's CUDA compile check uses None: host -O0)
#   KAA_WERROR, KAA_UNITY_BUILD, KAA_MPI   passed on to CMake (OFF, ON, AUTO; MPI OFF for cuda)
#   KAA_PORTABLE     ON: baseline x86-64 code; default OFF: this host's AVX2/FMA when it has them
KAA_BACKEND="${KAA_BACKEND:-openmp}"
export KAA_BACKEND
case "$KAA_BACKEND" in
  openmp) KAA_BUILD_DIR="${KAA_BUILD_DIR:-build}" ;;
  cuda)
    KAA_BUILD_DIR="${KAA_BUILD_DIR:-build-cuda}"
    if ! command -v nvcc >/dev/null && [ -x /usr/local/cuda/bin/nvcc ]; then
      export PATH="/usr/local/cuda/bin:$PATH"
    fi
    # nvcc_wrapper hands host code to this compiler.
    export NVCC_WRAPPER_DEFAULT_COMPILER="${NVCC_WRAPPER_DEFAULT_COMPILER:-g++}"
    ;;
  *)
    echo "KAA_BACKEND must be openmp or cuda (got '$KAA_BACKEND')" >&2
    exit 2
    ;;
esac
export KAA_BUILD_DIR

# kaa_configure KOKKOS_PREFIX: configures $KAA_BUILD_DIR against that Kokkos install.
kaa_configure() {
  local prefix="$1"
  local options=(-DCMAKE_BUILD_TYPE="${KAA_BUILD_TYPE:-Release}" -DCMAKE_PREFIX_PATH="$prefix"
    -DKAA_WERROR="${KAA_WERROR:-OFF}" -DCMAKE_UNITY_BUILD="${KAA_UNITY_BUILD:-ON}"
    -DKAA_PORTABLE="${KAA_PORTABLE:-OFF}")
  if [ "$KAA_BACKEND" = cuda ]; then
    # One GPU per process; the MPI path is built and tested by the OpenMP build.
    options+=(-DCMAKE_CXX_COMPILER="$prefix/bin/nvcc_wrapper" -DKAA_MPI="${KAA_MPI:-OFF}")
  else
    options+=(-DKAA_MPI="${KAA_MPI:-AUTO}")
  fi
  cmake -S . -B "$KAA_BUILD_DIR" "${options[@]}" >/dev/null
}

# kaa_can_run: whether this machine can run what the backend built (a visible NVIDIA GPU for cuda).
kaa_can_run() {
  [ "$KAA_BACKEND" = openmp ] && return 0
  if command -v nvidia-smi >/dev/null; then
    nvidia-smi -L 2>/dev/null | grep -q '^GPU '
  else
    compgen -G '/dev/nvidia[0-9]*' >/dev/null
  fi
}
